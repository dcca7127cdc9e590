/**
 * A DOCX or an OFD is a zip: before mammoth (jszip) inflates it whole into memory, yauzl reads the central directory and
 * streams every entry once, so a zip bomb is refused without ever being held in memory — entries counted, the
 * declared sizes and compression ratios checked before inflating, and the bytes actually inflated counted as
 * they come (a zip that declares small sizes and inflates more is stopped at the limit: yauzl also checks each
 * entry against its declared size).
 */
import { GiveUpError } from '../errors.ts';
import yauzl from 'yauzl';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';

/** Why a zip may not be opened (over a limit, or not a zip); the message names the limit. */
export class ZipLimitError extends GiveUpError {}

const MB = 1024 * 1024;

/** Checks a zip against the limits, reading every entry once and keeping none (mammoth then reads it whole). */
export async function checkZip(bytes: Uint8Array, limits: ReadLimits = DEFAULT_LIMITS): Promise<void> {
  await readZip(bytes, limits, () => false);
}

/**
 * Checks a zip against the limits and returns the entries `keep` asks for, inflated (by their names as stored, `/`
 * separated). Every entry is read and counted, kept or not, so a bomb anywhere in the zip is refused.
 */
export async function readZip(bytes: Uint8Array, limits: ReadLimits, keep: (name: string) => boolean): Promise<Map<string, Buffer>> {
  const kept = new Map<string, Buffer>();
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (e) {
    throw new ZipLimitError({ en: `not a readable zip (${(e as Error).message})`, zh: '无法读取的压缩文件' });
  }
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new ZipLimitError({ en: `${zip.entryCount} zip entries is over the ${limits.entries}-entry limit`, zh: '压缩包条目过多' });
  }
  let declared = 0;
  let inflated = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      declared += entry.uncompressedSize;
      if (declared > limits.inflated)
        throw new ZipLimitError({ en: `declares ${declared} bytes inflated, over the ${limits.inflated / MB} MB limit`, zh: '解压后过大' });
      if (entry.uncompressedSize > MB && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.ratio) {
        throw new ZipLimitError({
          en: `${entry.fileName} compresses ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1, over the ${limits.ratio}:1 limit (a zip bomb)`,
          zh: '压缩比异常',
        });
      }
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] | null = keep(entry.fileName) ? [] : null;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks?.push(chunk);
        inflated += chunk.length;
        if (inflated > limits.inflated) {
          stream.destroy();
          throw new ZipLimitError({ en: `inflates past the ${limits.inflated / MB} MB limit (at ${entry.fileName})`, zh: '解压后过大' });
        }
      }
      if (chunks) kept.set(entry.fileName, Buffer.concat(chunks));
    }
  } catch (e) {
    if (e instanceof ZipLimitError) throw e;
    throw new ZipLimitError({ en: `a damaged or dishonest zip (${(e as Error).message})`, zh: '压缩文件已损坏' });
  } finally {
    zip.close();
  }
  return kept;
}
