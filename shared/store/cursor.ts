/**
 * Page cursors: opaque to callers (base64url JSON), handed back by API clients and command lines. One that was
 * not made by this store — cut short, edited, from another query — is an `InvalidCursorError`, a request to fix
 * (HTTP 400), never a JSON `SyntaxError` (a bug, a 500) nor a DynamoDB validation error.
 */
import { RequestError } from '../errors.ts';
import { checker } from '../schema/check.ts';

export class InvalidCursorError extends RequestError {}

/** A cursor carrying `key` (a store's position: SQLite's sort key, DynamoDB's LastEvaluatedKey …). */
export const encodeCursor = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The position a cursor carries, checked against the JSON Schema of what this store puts in its cursors. */
export function cursorDecoder<T>(schema: object): (cursor: string) => T {
  const check = checker<T>(schema, (m) => new InvalidCursorError(m));
  return (cursor) => {
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    } catch {
      throw new InvalidCursorError(`cursor ${JSON.stringify(cursor.slice(0, 40))}: not a cursor of this store`);
    }
    return check(key, `cursor ${JSON.stringify(cursor.slice(0, 40))}`);
  };
}
