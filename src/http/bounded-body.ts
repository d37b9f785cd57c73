/** A response body collected chunk by chunk up to `maxBytes`: what fits is kept, the rest is never held. */
export class BoundedBody {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** The limit was passed: the caller stops reading. */
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  /** Keep a chunk (or the part of it that fits); false once the body is over the limit. */
  push(chunk: Buffer): boolean {
    const room = this.maxBytes - this.size;
    this.size += chunk.length;
    if (chunk.length <= room) {
      this.chunks.push(chunk);
      return true;
    }
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.truncated = true;
    return false;
  }

  text(): string {
    return this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
  }
}
