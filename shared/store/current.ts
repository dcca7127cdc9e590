/**
 * Which source of a body-year is current after `ReportStore.putParsed` (ports.ts) — one rule for the three stores
 * (memory.ts, sqlite-store.ts, dynamo.ts), each of which only finds out the two facts it needs in its own way.
 */

/**
 * Whether the source put is current afterwards: always when it is put as the current one (`makeCurrent`, the source
 * the report was assessed by); else it keeps being so if it was (`wasCurrent`), or becomes so when no other source of
 * the body-year is (`otherCurrent`), so that a lone source is listed.
 */
export function currentAfterPut(makeCurrent: boolean, wasCurrent: boolean, otherCurrent: boolean): boolean {
  return makeCurrent || wasCurrent || !otherCurrent;
}
