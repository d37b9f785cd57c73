import type { Readable } from 'node:stream';

/**
 * Read a response body up to `maxBytes`, then stop and destroy the stream: never read an unbounded answer.
 * Events rather than `for await`: in load mode an async iterator per answer is a measurable share of the CPU.
 */
export function readBounded(body: Readable, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const text = () => (chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      const room = maxBytes - (size - chunk.length);
      if (room > 0) chunks.push(chunk.subarray(0, room));
      body.off('data', onData);
      body.off('error', reject);
      // The stream is given up on purpose; a late error from tearing it down is not this read's.
      body.on('error', () => {});
      body.destroy();
      resolve({ text: text(), truncated: true });
    };
    body.on('data', onData);
    body.once('end', () => resolve({ text: text(), truncated: false }));
    body.once('error', reject);
  });
}
