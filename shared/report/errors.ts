/**
 * The parser's error taxonomy: what happens next is encoded in the class. `UnreadableInputError` = the
 * input cannot be read at all (exit 2, give up on this file); findings, not errors, report bad reports.
 */
import { GiveUpError } from '../errors.ts';

export class UnreadableInputError extends GiveUpError {
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`${input}: ${problem}`);
  }
}
