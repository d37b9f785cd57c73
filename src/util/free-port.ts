import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 now, for a server whose address must be known before it starts (its URL goes into what
 * it serves). Another process could take it in between; the server's own start then fails with a clear error.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
