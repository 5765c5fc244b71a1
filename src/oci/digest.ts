import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A content digest; image-build produces and accepts sha256 only. */
export type Digest = `sha256:${string}`;

const digestPattern = /^sha256:[a-f0-9]{64}$/;
const anyDigestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function isDigest(s: string): s is Digest {
  return digestPattern.test(s);
}

/** Parses a digest string; throws for anything but a well-formed lowercase sha256 digest. */
export function parseDigest(s: string): Digest {
  if (isDigest(s)) return s;
  if (anyDigestPattern.test(s) && !s.startsWith('sha256:')) {
    throw new Error(`unsupported digest algorithm in ${JSON.stringify(s)}: only sha256 is supported`);
  }
  throw new Error(
    `invalid digest ${JSON.stringify(s)}: expected sha256: followed by 64 lowercase hex digits`,
  );
}

/** The hex part of a digest. */
export function digestHex(d: Digest): string {
  return d.slice('sha256:'.length);
}

export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function digestFromHash(h: Hash): Digest {
  return `sha256:${h.digest('hex')}`;
}

/**
 * A pass-through stream that hashes and counts what flows through it. Read `digest()` and `size` after the
 * stream has finished.
 */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  private result: Digest | undefined;
  size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.result = digestFromHash(this.hash);
    cb();
  }

  digest(): Digest {
    if (this.result === undefined) throw new Error('DigestStream.digest() called before the stream finished');
    return this.result;
  }
}

/** Hashes a whole readable stream. */
export async function digestOfStream(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: digestFromHash(hash), size };
}
