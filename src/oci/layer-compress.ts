import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { InputError } from '../errors.js';
import { compressGzipMember } from './gzip-member.js';
import type { LayerCompression } from './media-types.js';

/**
 * Input is cut into members of this many bytes, each gzipped independently (in parallel) and concatenated.
 * It is part of the output format: changing it changes every layer digest.
 */
export const gzipMemberSize = 1 << 20;

export const defaultGzipLevel = 6;
export const defaultZstdLevel = 3;

export interface CompressionSettings {
  readonly compression: LayerCompression;
  readonly level: number;
  readonly concurrency: number;
}

/** True when this Node has zstd in node:zlib (≥ 22.15 / 23.8); the Actions node24 runtime does. */
export function zstdAvailable(): boolean {
  return typeof (zlib as Partial<typeof zlib>).createZstdCompress === 'function';
}

/** Checks and completes compression options; a bad value is an InputError naming the input. */
export function compressionSettings(opts: {
  readonly compression: LayerCompression;
  readonly level?: number;
  readonly concurrency?: number;
}): CompressionSettings {
  const { compression } = opts;
  if (compression === 'zstd' && !zstdAvailable()) {
    throw new InputError('compression', `zstd needs Node.js 22.15 or later, this is ${process.version}`, {
      hint: 'use compression gzip, or run on the node24 runtime',
    });
  }
  const [min, max, fallback] = compression === 'zstd' ? [1, 19, defaultZstdLevel] : [0, 9, defaultGzipLevel];
  const level = opts.level ?? fallback;
  if (compression !== 'none' && (!Number.isInteger(level) || level < min || level > max)) {
    throw new InputError('compression-level', `${level} is not a ${compression} level`, {
      hint: `use a whole number from ${min} to ${max}`,
    });
  }
  const concurrency = opts.concurrency ?? Math.min(availableParallelism(), 4);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError('compression-concurrency', `${concurrency} is not a number of threads`, {
      hint: 'use a whole number of at least 1',
    });
  }
  return { compression, level, concurrency };
}

/** The compressed form of `input`, chunk by chunk, deterministic for given settings (whatever the concurrency). */
export function compressStream(
  input: AsyncIterable<Uint8Array>,
  s: CompressionSettings,
): AsyncIterable<Buffer> {
  switch (s.compression) {
    case 'none':
      return asBuffers(input);
    case 'gzip':
      return gzipMembers(fixedChunks(input, gzipMemberSize), s.level, s.concurrency);
    case 'zstd':
      return zstdStream(fixedChunks(input, gzipMemberSize), s.level);
  }
}

async function* asBuffers(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const c of input) yield Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length);
}

/** Re-cuts a stream into `size`-byte chunks (the last may be shorter), each a fresh Buffer. */
export async function* fixedChunks(input: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let current = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const chunk of input) {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(size - filled, chunk.length - offset);
      current.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield current;
        current = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield current.subarray(0, filled);
}

/**
 * Gzips each chunk as an independent member and yields the members in input order. `concurrency` members
 * compress at once on libuv's threadpool (4 threads unless UV_THREADPOOL_SIZE says otherwise), i.e. on as many
 * cores; as many more wait, read ahead, so a core never idles while the event loop hashes and writes. The output
 * does not depend on `concurrency`. Empty input gives one empty member (a valid gzip file).
 */
async function* gzipMembers(
  chunks: AsyncIterable<Buffer>,
  level: number,
  concurrency: number,
): AsyncGenerator<Buffer> {
  const slots = new Slots(concurrency);
  const inFlight: Promise<Buffer>[] = [];
  let count = 0;
  for await (const chunk of chunks) {
    count++;
    // Already-compressed data (archives, images, random bytes) does not shrink: store it instead of spending
    // the CPU. The choice depends only on the bytes, so the output stays deterministic.
    const memberLevel = level > 0 && isIncompressible(chunk) ? 0 : level;
    const member = slots.run(() => compressGzipMember(chunk, memberLevel));
    member.catch(() => undefined); // awaited below, in order; a failure is reported there
    inFlight.push(member);
    while (inFlight.length >= 2 * concurrency) yield await inFlight.shift()!;
  }
  if (count === 0) yield await compressGzipMember(Buffer.alloc(0), level);
  while (inFlight.length > 0) yield await inFlight.shift()!;
}

/** Bits per byte above which deflate cannot gain anything worth having (random data is 7.9998). */
const incompressibleEntropy = 7.99;
const entropySample = 64 * 1024;

/**
 * True when the chunk's byte distribution is (nearly) uniform: the Shannon entropy of a 64 KiB sample, then of
 * the whole chunk when the sample looks random. Text, code and executables score well below the threshold.
 */
export function isIncompressible(chunk: Uint8Array): boolean {
  if (chunk.length < entropySample) return false;
  return (
    entropy(chunk.subarray(0, entropySample)) > incompressibleEntropy &&
    entropy(chunk) > incompressibleEntropy
  );
}

function entropy(bytes: Uint8Array): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]!]!++;
  let h = 0;
  for (let i = 0; i < 256; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const p = c / bytes.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Runs at most `size` tasks at once, the rest in call order as slots free up. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * One zstd frame, streamed single-threaded (about 300 MB/s at level 3). Never sets ZSTD_c_nbWorkers: with it
 * the streaming API emits nothing (see the registry notes). The content checksum is on, as Go's zstd writes it.
 */
async function* zstdStream(chunks: AsyncIterable<Buffer>, level: number): AsyncGenerator<Buffer> {
  const { constants } = zlib;
  const compressor = zlib.createZstdCompress({
    params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 },
  });
  const feeding = pipeline(Readable.from(chunks), compressor);
  feeding.catch(() => undefined); // the same error surfaces on the readable side
  for await (const out of compressor) yield out as Buffer;
  await feeding;
}
