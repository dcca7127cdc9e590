/**
 * The parser's error taxonomy: what happens next is encoded in the class. `UnreadableInputError` = the
 * input cannot be read at all (exit 2, give up on this file); findings, not errors, report bad reports.
 */
import { type Bilingual, bothLanguages, GiveUpError } from '../errors.ts';

export class UnreadableInputError extends GiveUpError {
  /** What is wrong, in one line (`English / 中文` when said in both). */
  readonly problem: string;
  /** What is wrong in each language, for the two lines of an alert. */
  readonly problemText: Bilingual | undefined;

  constructor(
    readonly input: string,
    problem: string | Bilingual,
  ) {
    const line = typeof problem === 'string' ? problem : bothLanguages(problem);
    super(`${input}: ${line}`);
    this.problem = line;
    this.problemText = typeof problem === 'string' ? undefined : problem;
  }
}
