/**
 * The shapes of the records the stores keep as JSON (SQLite `data` columns, DynamoDB `data`/`record`
 * attributes, overflow blobs), checked when read back. A record that does not hold its shape — written by
 * hand, cut short, from a version this one does not know — is a `StoredRecordError` naming the record and
 * the field, an operator's matter (IntegrityError), never a `TypeError` somewhere later or a body silently
 * shown with no status. The schemas require what the code relies on and let other fields pass, so records
 * written by earlier versions (with fewer optional fields) still read.
 */
import { IntegrityError } from '../errors.ts';
import { checker, jsonChecker } from '../schema/check.ts';
import {
  ALERT_KINDS,
  ALERT_STATES,
  type Alert,
  type BodyYearState,
  type CaptureRecord,
  type ListOptions,
  type StateStore,
  STATUSES,
  type StoredReport,
  type StoredRow,
} from './ports.ts';

/** A stored record that does not hold its shape (or is missing): the message names it and what is wrong. */
export class StoredRecordError extends IntegrityError {
  /** The body-year the record belongs to, when the listing that met it knows (a page can then mark that cell). */
  record?: { bodyId: string; year: number };
}

const fail = (message: string) => new StoredRecordError(`stored record ${message}`);
const string = { type: 'string' } as const;
const year = { type: 'integer', minimum: 1990, maximum: 2200 } as const;
const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const headers = { type: 'object', additionalProperties: { type: 'string' } } as const;

const CAPTURE = {
  type: 'object',
  required: ['id', 'url', 'time', 'outcome', 'sha256', 'size', 'requestHeaders', 'responseHeaders'],
  properties: {
    id: string,
    url: string,
    time: string,
    outcome: string,
    status: nullable('integer'),
    sha256: nullable('string'),
    size: { type: 'integer', minimum: 0 },
    requestHeaders: headers,
    responseHeaders: headers,
    redirects: { type: 'array', items: string },
    year,
  },
};

const STATE = {
  type: 'object',
  required: ['bodyId', 'year', 'status', 'missedAt', 'consecutiveFailures'],
  properties: {
    bodyId: string,
    year,
    status: { enum: STATUSES },
    missedAt: { type: 'array', items: string },
    consecutiveFailures: { type: 'integer', minimum: 0 },
    deadline: string,
    updatedAt: string,
    sources: { type: 'object', additionalProperties: string },
    changes: { type: 'array' },
    findings: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  },
};

/** An alert as stored and as published (the SNS channel's message carries it whole). */
export const ALERT_SCHEMA = {
  type: 'object',
  required: ['id', 'bodyId', 'year', 'kind', 'detail', 'state', 'evidence', 'openedAt', 'sent'],
  properties: {
    id: string,
    bodyId: string,
    year,
    kind: { enum: ALERT_KINDS },
    state: { enum: ALERT_STATES },
    evidence: { type: 'object' },
    openedAt: string,
    sent: { type: 'object', required: ['opened', 'resolved'], properties: { opened: { type: 'array' }, resolved: { type: 'array' } } },
  },
};

const REPORT = {
  type: 'object',
  required: ['bodyId', 'year', 'sha256', 'url', 'format', 'findings', 'parserVersion'],
  properties: { bodyId: string, year, sha256: string, url: string, format: string, findings: { type: 'array' }, parserVersion: string },
};

/** A table row's figures: each cell a number, or null where it could not be read (CELL-UNREAD). */
const ROW_VALUES = { type: 'object', additionalProperties: { type: ['number', 'null'] } } as const;

/** `readCapture(json, 'capture c1 (captures table)')` and so on: parse a stored record's JSON and check its shape. */
export const readCapture = jsonChecker<CaptureRecord>(CAPTURE, fail);
export const readState = jsonChecker<BodyYearState>(STATE, fail);
export const readReport = jsonChecker<StoredReport>(REPORT, fail);
/** A row's figures as JSON text (SQLite `cells`). */
export const readRowValues = jsonChecker<StoredRow['values']>(ROW_VALUES, fail);
/** A row's figures as a DynamoDB item holds them (a map). */
export const checkRowValues = checker<StoredRow['values']>(ROW_VALUES, fail);
/** An alert's JSON without its version (the version is the store's own counter, kept beside the JSON). */
export const readAlert = jsonChecker<Omit<Alert, 'version'> & { version?: number }>(ALERT_SCHEMA, fail);

/**
 * The damaged records a reading met (ListOptions), each once though several listings may meet the same one; each new
 * one is passed on to `forward`. What a caller that shows them (a command, a page, the API) collects.
 */
export class DamagedLog implements ListOptions {
  readonly errors: IntegrityError[] = [];

  constructor(private readonly forward?: (error: IntegrityError) => void) {}

  readonly onDamaged = (error: IntegrityError): void => {
    if (this.errors.some((e) => e.message === error.message)) return;
    this.errors.push(error);
    this.forward?.(error);
  };

  /** Each damaged record's message (it names the record and what is wrong). */
  get messages(): string[] {
    return this.errors.map((e) => e.message);
  }
}

/**
 * `read` of every item of a listing. A record that does not hold its shape throws, unless the caller passed
 * `onDamaged` (ListOptions): then it is handed over and the listing goes on without it. Other errors always throw.
 */
export function readEach<I, T>(
  items: readonly I[],
  read: (item: I) => T,
  options?: ListOptions,
  /** The body-year of an item, where the listing knows it: told with the error (StoredRecordError.record). */
  keyOf?: (item: I) => { bodyId: string; year: number } | undefined,
): T[] {
  if (!options?.onDamaged) return items.map((i) => read(i));
  const out: T[] = [];
  for (const item of items) {
    try {
      out.push(read(item));
    } catch (e) {
      handOver(e, item, options, keyOf);
    }
  }
  return out;
}

/** A record `read` refused, handed to `onDamaged` with its body-year; anything else (or no `onDamaged`) thrown on. */
function handOver<I>(e: unknown, item: I, options: ListOptions | undefined, keyOf?: (item: I) => { bodyId: string; year: number } | undefined): void {
  if (!(e instanceof StoredRecordError) || !options?.onDamaged) throw e;
  const record = keyOf?.(item);
  if (record) e.record = record;
  options.onDamaged(e);
}

/**
 * One body-year's state for a listing for people (`nianbao report`, the API's reports of a body): a state that
 * cannot be read is handed to `onDamaged` and read as none, so what else is stored of the report is still shown.
 * Without `onDamaged` it throws, as `getState` does.
 */
export async function stateOrDamaged(state: Pick<StateStore, 'getState'>, bodyId: string, year: number, options?: ListOptions): Promise<BodyYearState | null> {
  try {
    return await state.getState(bodyId, year);
  } catch (e) {
    handOver(e, { bodyId, year }, options, (k) => k);
    return null;
  }
}

/** `readEach` for a `read` that is asynchronous (a DynamoDB record kept in an overflow blob), one item at a time. */
export async function readEachAsync<I, T>(
  items: readonly I[],
  read: (item: I) => Promise<T>,
  options?: ListOptions,
  keyOf?: (item: I) => { bodyId: string; year: number } | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) {
    try {
      out.push(await read(item));
    } catch (e) {
      handOver(e, item, options, keyOf);
    }
  }
  return out;
}
