/**
 * Pulls bytes from an async iterable in the amounts a parser asks for, holding at most one source chunk
 * (plus one assembled block) in memory. `position` counts bytes consumed.
 */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private current: Buffer = Buffer.alloc(0);
  private done = false;
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes (a view into the current chunk, no copy); undefined at end of input. */
  async readChunk(max: number): Promise<Buffer | undefined> {
    if (this.current.length === 0 && !(await this.fill())) return undefined;
    const n = Math.min(max, this.current.length);
    const out = this.current.subarray(0, n);
    this.current = this.current.subarray(n);
    this.position += n;
    return out;
  }

  /** Exactly `n` bytes, or fewer only when the input ends first (the caller decides whether that is an error). */
  async read(n: number): Promise<Buffer> {
    const first = await this.readChunk(n);
    if (first === undefined) return Buffer.alloc(0);
    if (first.length === n) return first;
    const out = Buffer.allocUnsafe(n);
    first.copy(out, 0);
    let filled = first.length;
    while (filled < n) {
      const chunk = await this.readChunk(n - filled);
      if (chunk === undefined) return out.subarray(0, filled);
      chunk.copy(out, filled);
      filled += chunk.length;
    }
    return out;
  }

  /** Discards `n` bytes; returns how many were actually there. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      const chunk = await this.readChunk(n - skipped);
      if (chunk === undefined) break;
      skipped += chunk.length;
    }
    return skipped;
  }

  /** Reads and discards the rest of the input (so upstream hashing and trailer checks run to the end). */
  async drain(): Promise<void> {
    while ((await this.readChunk(Number.MAX_SAFE_INTEGER)) !== undefined) {
      // discard
    }
  }

  /** Stops pulling from the source (releasing it) when the reader is abandoned early. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }

  private async fill(): Promise<boolean> {
    while (!this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      const chunk = next.value;
      if (chunk.length === 0) continue;
      this.current = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      return true;
    }
    return false;
  }
}
