/**
 * How the SQLite store names a stored record in a StoredRecordError (and `nianbao verify --repair` in what it
 * moved): the same words wherever the record is met, so a person can find it again.
 */
export const stateLabel = (bodyId: string, year: number) => `state of ${bodyId} ${year} (SQLite states)`;
export const alertLabel = (id: string) => `alert ${id} (SQLite alerts)`;
export const captureLabel = (id: string) => `capture ${id} (SQLite captures)`;
export const reportLabel = (bodyId: string, year: number) => `report of ${bodyId} ${year} (SQLite reports)`;
/** A stored row: the row, its body-year and its source. */
export const rowLabel = (row: string, bodyId: string, year: number, sha256: string) =>
  `row ${row} of ${bodyId} ${year} ${sha256.slice(0, 12)} (SQLite report_rows)`;
