/** Read a response body up to `maxBytes`, then stop and destroy the stream: never read an unbounded answer. */
export async function readBounded(body: AsyncIterable<unknown> & { destroy(): void }, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      const room = maxBytes - (size - buffer.length);
      if (room > 0) chunks.push(buffer.subarray(0, room));
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
