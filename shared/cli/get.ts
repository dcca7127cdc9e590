/**
 * `nianbao get SHA256|PREFIX|CAPTURE_ID [-o FILE]` — the exact archived bytes, verified against their sha256.
 * A prefix (the 16 characters `captures` prints) is enough when it names one blob.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BlobCorruptError, verifiedBlob } from '../archive/verify.ts';
import { SHA256 } from '../store/hash.ts';
import type { LocalStore } from '../store/local.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { httpUrl, outputFile } from './options.ts';
import { withStore } from './store.ts';

/** The sha256 an argument names: a full hash, a unique prefix of one (8+ hex digits), or a capture id. */
async function resolveBlob(id: string, { archive, store }: LocalStore): Promise<string> {
  const lower = id.toLowerCase();
  if (SHA256.test(lower)) return lower;
  const capture = await store.get(id);
  if (capture) {
    if (!capture.sha256) throw new CliError(`${id}: the capture has no body (${capture.outcome}) / 该次抓取没有内容`, EXIT.nothingFound);
    return capture.sha256;
  }
  if (/^[0-9a-f]{8,63}$/.test(lower)) {
    const hits: string[] = [];
    for await (const b of archive.list()) if (b.sha256.startsWith(lower)) hits.push(b.sha256);
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1)
      throw new CliError(
        `${id}: ${hits.length} blobs start with it (${hits
          .slice(0, 3)
          .map((h) => h.slice(0, 20))
          .join(', ')}…); give more of the hash / 前缀不唯一`,
      );
  }
  throw new CliError(`${id}: no such capture or sha256 / 没有该存档`, EXIT.nothingFound);
}

export function registerGet(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('get')
    .description('write the archived bytes of a blob or a capture, verified / 取出存档的原始字节')
    .argument('<id>', 'sha256 of the bytes (or its first 8+ characters), or a capture id')
    .option('-o, --output <file>', 'write to a file instead of standard output', outputFile)
    .option('--api <url>', 'fetch from the deployed archive API (a capture id; signed with the default AWS credentials) instead of the home', httpUrl)
    .action(async (id: string, flags: { output?: string; api?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      if (json && !flags.output) throw new CliError('with --json, give -o FILE: the bytes go to the file, the JSON says what was written');
      const write = (bytes: Uint8Array, sha: string) => {
        if (flags.output) {
          writeFileSync(flags.output, bytes);
          if (json) printJson({ file: flags.output, size: bytes.length, sha256: sha });
        } else process.stdout.write(bytes);
      };
      if (flags.api) {
        run(await getRemote(id, flags.api, write));
        return;
      }
      await withStore(
        home,
        async (s) => {
          const sha = await resolveBlob(id, s);
          let bytes: Uint8Array | null;
          try {
            bytes = await verifiedBlob(s.archive, sha);
          } catch (e) {
            if (e instanceof BlobCorruptError) throw new CliError(e.message, EXIT.failed);
            throw e;
          }
          if (!bytes) throw new CliError(`${sha}: not in the archive / 存档中没有`, EXIT.nothingFound);
          write(bytes, sha);
          run(EXIT.ok);
        },
        { readonly: true },
      );
    });
}

/**
 * `get --api`: a capture's bytes from the deployed archive (`GET /captures/{id}/download`: the capture and a presigned
 * URL), verified against the capture's sha256 before anything is written. The API lists captures, not blobs: an id is
 * a capture id (`nianbao captures --api` lists them).
 */
async function getRemote(id: string, api: string, write: (bytes: Uint8Array, sha: string) => void): Promise<ExitCode> {
  if (SHA256.test(id.toLowerCase()) || /^[0-9a-f]{8,63}$/i.test(id))
    throw new CliError(`${id}: with --api, give a capture id (nianbao captures URL|BODY --api lists them); the API has no lookup by sha256`);
  const { RemoteApi } = await import('./remote.ts');
  const got = await new RemoteApi(api).captureBytes(id);
  if (!got.sha256) throw new CliError(`${id}: the capture has no body / 该次抓取没有内容`, EXIT.nothingFound);
  // Never written unverified: what came is not what was archived (cut short on the way, or the object is damaged).
  if (got.actual !== got.sha256)
    throw new CliError(`${id}: the bytes received hash to ${got.actual}, not the archived ${got.sha256}: nothing written / 校验不符`, EXIT.failed);
  write(got.bytes, got.sha256);
  return EXIT.ok;
}
