import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on now (for a server the test starts elsewhere). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
