import type { Readable } from 'node:stream';
import { BoundedBody } from './bounded-body.js';

/**
 * Read a response body up to `maxBytes`, then stop and destroy the stream: never read an unbounded answer.
 * Events rather than `for await`: in load mode an async iterator per answer is a measurable share of the CPU.
 */
export function readBounded(body: Readable, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const collected = new BoundedBody(maxBytes);
    const onData = (chunk: Buffer) => {
      if (collected.push(chunk)) return;
      body.off('data', onData);
      body.off('error', reject);
      // The stream is given up on purpose; a late error from tearing it down is not this read's.
      body.on('error', () => {});
      body.destroy();
      resolve({ text: collected.text(), truncated: true });
    };
    body.on('data', onData);
    body.once('end', () => resolve({ text: collected.text(), truncated: false }));
    body.once('error', reject);
  });
}
