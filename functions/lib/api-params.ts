/**
 * The archive API's query parameters, each checked where it is read: a bad value is a 400 that names the parameter,
 * the value and what is expected — never a listing of nothing, never a server error.
 */
import { ROW_RANK } from '../../shared/archive/figures.ts';
import { RequestError } from '../../shared/errors.ts';
import { SEVERITIES, type Severity } from '../../shared/report/model.ts';
import { RULE_IDS } from '../../shared/rules/types.ts';

/** A request error: the status and a message naming the parameter and the problem. */
export class ApiError extends RequestError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A report year, e.g. year=2024; `required` makes its absence a 400 too. */
export function yearParam(v: string | undefined, required: boolean): number | undefined {
  if (v === undefined || v === '') {
    if (required) throw new ApiError(400, 'query parameter year is required (a report year, e.g. year=2024)');
    return undefined;
  }
  if (!/^\d{4}$/.test(v)) throw new ApiError(400, `query parameter year=${v}: expected a report year like 2024`);
  return Number(v);
}

/** A comma-separated list of row keys (`table3.received`, `table4`, `table2.regulations` …). */
export function rowsParam(v: string | undefined): string[] | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const rows = v.split(',').map((r) => r.trim());
  for (const r of rows)
    if (!ROW_RANK.has(r)) throw new ApiError(400, `query parameter row=${r}: not a row of the tables (e.g. table3.received, table4, table2.regulations)`);
  return rows;
}

/** A comma-separated list of rule ids (a repeated `rule=` arrives joined by commas, payload 2.0). */
export function rulesParam(v: string | undefined): string[] | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const ids = v.split(',').map((r) => r.trim().toUpperCase());
  for (const id of ids)
    if (!(RULE_IDS as readonly string[]).includes(id)) throw new ApiError(400, `query parameter rule=${id}: not a rule id (${RULE_IDS.join(', ')})`);
  return ids;
}

export function severityParam(v: string | undefined): Severity | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new ApiError(400, `query parameter severity=${v}: expected ${SEVERITIES.join(', ')} (that severity and the graver ones)`);
  return v as Severity;
}

/** A page's size: `page.default` when absent, else a whole number from 1 to `page.max` (of `page.what`). */
export function limitParam(v: string | undefined, page: { default: number; max: number; what: string }): number {
  if (v === undefined || v === '') return page.default;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > page.max)
    throw new ApiError(400, `query parameter limit=${v}: expected a whole number of ${page.what} from 1 to ${page.max}`);
  return n;
}
