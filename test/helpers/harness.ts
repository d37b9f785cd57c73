import { createServer } from 'node:net';

/** A reason a suite cannot run (a missing package, an unset variable), said in one line: no stack, it is not a bug. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** A port free on 127.0.0.1 just now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
