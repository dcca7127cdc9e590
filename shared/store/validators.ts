/** What a conditional GET needs from the last capture of a URL that archived bytes (RFC 9110 §13). */
import type { CaptureRecord, PreviousCapture } from './ports.ts';

export function validatorsOf(url: string, last: CaptureRecord | null): PreviousCapture | null {
  if (!last) return null;
  return {
    url,
    etag: last.responseHeaders.etag,
    lastModified: last.responseHeaders['last-modified'],
    sha256: last.sha256 ?? undefined,
    contentType: last.contentType ?? undefined,
  };
}
