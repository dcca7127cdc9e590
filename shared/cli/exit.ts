/** Exit codes of every nianbao command (docs/architecture.md §2). */
import { RequestError } from '../errors.ts';
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Done, but something failed that the user must see (e.g. some bodies unreachable). */
  failed: 1,
  /** Bad usage or unreadable input. */
  usage: 2,
  /** Nothing found (e.g. no report tables in the input). */
  nothingFound: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends a command with a given exit code and a one-line message on stderr. */
export class CliError extends RequestError {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}
