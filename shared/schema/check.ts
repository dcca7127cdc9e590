/**
 * Checks data that comes from outside the process — a queue message, an API request body, a record read back
 * from a store — against a JSON Schema (ajv), so a malformed one is named with what is wrong where it enters,
 * instead of failing later as a `TypeError` deep inside (a bug) or, worse, being read as something it is not.
 */
import { Ajv, type ErrorObject } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });

/** Checks `value` (from `source`, named in the error) and returns it typed; throws what `fail` makes otherwise. */
export type Check<T> = (value: unknown, source: string) => T;

/** A schema's validator, for callers that read its errors themselves (the registry maps them to YAML lines). */
export const compileSchema = (schema: object) => ajv.compile(schema);

/** A checker of one schema; `fail` turns "source: what is wrong" into the error the caller's taxonomy needs. */
export function checker<T>(schema: object, fail: (message: string) => Error): Check<T> {
  const validate = compileSchema(schema);
  return (value, source) => {
    if (validate(value)) return value as T;
    throw fail(`${source}: ${describeSchemaErrors(validate.errors ?? [])}`);
  };
}

/** Parses JSON text and checks it: text that is not JSON fails the same way as JSON of the wrong shape. */
export function jsonChecker<T>(schema: object, fail: (message: string) => Error): (text: unknown, source: string) => T {
  const check = checker<T>(schema, fail);
  return (text, source) => {
    if (typeof text !== 'string') throw fail(`${source}: no JSON text (${text === undefined ? 'absent' : typeof text})`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw fail(`${source}: not JSON (${JSON.stringify(text.slice(0, 80))})`);
    }
    return check(value, source);
  };
}

/** ajv's errors as one line a person can act on: `years.0: must be integer; unknown field "x"`. */
export function describeSchemaErrors(errors: readonly ErrorObject[], root?: string): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : root;
      const at = path ? `${path}: ` : '';
      if (e.keyword === 'additionalProperties') return `${at}unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      if (e.keyword === 'enum') return `${at}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
      if (e.keyword === 'required') return `${at}missing field "${(e.params as { missingProperty: string }).missingProperty}"`;
      return `${at}${e.message}`;
    })
    .join('; ');
}
