/** A loopback address nobody listens on, for a portal whose connection is refused (a network-level failure). */
import { createServer } from 'node:http';

/** `http://127.0.0.1:<port>`: a port bound for a moment and released, so a connection to it is refused. */
export async function closedOrigin(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
  await new Promise<void>((r) => closed.close(() => r()));
  return origin;
}
