/** The error taxonomy: each error nianbao throws says what happens next; anything else is a bug. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../functions/lib/api.ts';
import { ConfigError as FunctionConfigError } from '../../functions/lib/config.ts';
import { PoisonMessageError } from '../../functions/lib/messages.ts';
import { ConfigError as InfraConfigError } from '../../infra/config.ts';
import { AlertWriteConflictError } from '../../shared/alerts/decide.ts';
import { BlobCorruptError, BlobMissingError } from '../../shared/archive/verify.ts';
import { CliError } from '../../shared/cli/exit.ts';
import { TimeBudgetExhausted } from '../../shared/crawl/budget.ts';
import { ConfigError, isExpected, NianbaoError } from '../../shared/errors.ts';
import { DocxError } from '../../shared/report/docx.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { PdfError } from '../../shared/report/pdf.ts';
import { ZipLimitError } from '../../shared/report/zip-guard.ts';
import { LegacyStoreError } from '../../shared/store/local.ts';
import { StoredRecordError } from '../../shared/store/records.ts';
import { InvalidCursorError } from '../../shared/store/cursor.ts';

describe('errors say what happens next', () => {
  it.each([
    [new TimeBudgetExhausted('x'), 'retry', 'TimeBudgetExhausted'],
    [new AlertWriteConflictError('alert a: 5 conflicting writes'), 'retry', 'AlertWriteConflictError'],
    [new InvalidCursorError('cursor "x": not a cursor of this store'), 'fix_request', 'InvalidCursorError'],
    [new UnreadableInputError('a.pdf', 'over a limit'), 'give_up', 'UnreadableInputError'],
    [new PdfError('damaged'), 'give_up', 'PdfError'],
    [new DocxError('not a zip'), 'give_up', 'DocxError'],
    [new ZipLimitError('bomb'), 'give_up', 'ZipLimitError'],
    [new PoisonMessageError('not JSON'), 'give_up', 'PoisonMessageError'],
    [new ConfigError('context x'), 'fix_config', 'ConfigError'],
    [new LegacyStoreError('/h'), 'fix_config', 'LegacyStoreError'],
    [new CliError('--delay'), 'fix_request', 'CliError'],
    [new ApiError(400, 'year'), 'fix_request', 'ApiError'],
    [new BlobCorruptError('a'.repeat(64), 'b'.repeat(64)), 'alert', 'BlobCorruptError'],
    [new BlobMissingError('a'.repeat(64), 'capture c1'), 'alert', 'BlobMissingError'],
    [new StoredRecordError('stored record state of b 2024: status: must be one of …'), 'alert', 'StoredRecordError'],
  ] as const)('%s', (error, next, name) => {
    expect(error).toBeInstanceOf(NianbaoError);
    expect(error.next).toBe(next);
    expect(error.name).toBe(name);
    expect(isExpected(error)).toBe(true);
  });

  it('one ConfigError for the stack and the functions; a plain Error is a bug; causes are kept', () => {
    expect(InfraConfigError).toBe(ConfigError);
    expect(FunctionConfigError).toBe(ConfigError);
    expect(isExpected(new TypeError('x'))).toBe(false);
    const cause = new Error('ECONNRESET');
    expect(new ConfigError('secret unreadable', { cause }).cause).toBe(cause);
  });
});
