import { createHash } from 'node:crypto';

/** Deterministic pseudo-random bytes for a seed (sha256 counter mode), shared by tests and worker processes. */
export function blobBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let off = 0, n = 0; off < size; off += 32, n++) {
    createHash('sha256').update(`${seed}/${n}`).digest().copy(out, off);
  }
  return out;
}

/** Yields `bytes` in chunks of `chunkSize`, like a network body. */
export async function* chunked(bytes: Buffer, chunkSize: number): AsyncGenerator<Buffer> {
  for (let off = 0; off < bytes.length; off += chunkSize) {
    yield bytes.subarray(off, off + chunkSize);
    await Promise.resolve();
  }
}
