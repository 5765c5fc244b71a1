import { InternalError } from '../../errors.js';
import { ByteSource } from './byte-source.js';
import { buildEntryHeader, mergePax, type PendingMetadata } from './entry-header.js';
import { TarError } from './errors.js';
import { blockSize, isZeroBlock, paddingAfter, Typeflag } from './format.js';
import { maxPaxDataSize } from './header-encode.js';
import { decodeHeaderBlock } from './header-decode.js';
import { parsePaxRecords } from './pax.js';
import type { TarEntry, TarHeader } from './types.js';

export interface TarReadOptions {
  /** Bytes of PAX and GNU long-name metadata allowed before one entry (default 1 MiB, as Go's archive/tar). */
  readonly maxMetadataSize?: number;
}

/**
 * Reads a tar stream (ustar, PAX, GNU, star and old v7 headers) entry by entry, in constant memory. Each entry's
 * body must be consumed before the next entry is requested, or it is skipped then. Paths are exposed as stored
 * (never sanitised); see TarHeader for the normalisations. After the end-of-archive marker the rest of the
 * input is read and discarded, so a hash or decompressor upstream sees the whole stream.
 *
 * Errors are TarError: truncated input, bad checksums, malformed fields, GNU sparse files, unknown entry types
 * (a GNU volume label `V` is skipped), metadata over the limit.
 */
export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  opts: TarReadOptions = {},
): AsyncGenerator<TarEntry, void, undefined> {
  const src = new ByteSource(source);
  const limit = opts.maxMetadataSize ?? maxPaxDataSize;
  let body: BodyCursor | undefined;
  try {
    for (;;) {
      await body?.finish();
      const next = await readEntryHeader(src, limit);
      if (next === undefined) break;
      body = new BodyCursor(src, next.header, next.offset);
      yield { header: next.header, body: body.iterable() };
    }
    await src.drain();
  } finally {
    await src.close();
  }
}

/** Reads metadata headers up to and including the next entry's header; undefined at the end of the archive. */
async function readEntryHeader(
  src: ByteSource,
  limit: number,
): Promise<{ header: TarHeader; offset: number } | undefined> {
  const meta: PendingMetadata = { pax: new Map() };
  let metaBytes = 0;
  let pending = false;
  for (;;) {
    const offset = src.position;
    const block = await src.read(blockSize);
    if (block.length === 0 || isZeroBlock(block)) {
      if (pending) throw truncated(offset, 'a PAX or GNU metadata header is not followed by an entry');
      if (block.length > 0) await expectEndMarker(src);
      return undefined;
    }
    if (block.length < blockSize) throw truncated(offset, 'the input ends inside a header');
    const raw = decodeHeaderBlock(block, offset);
    switch (raw.typeflag) {
      case Typeflag.paxLocal:
      case Typeflag.paxGlobal:
      case Typeflag.gnuLongName:
      case Typeflag.gnuLongLink: {
        const isGlobal = raw.typeflag === Typeflag.paxGlobal;
        if (!isGlobal) {
          metaBytes += raw.size;
          pending = true;
        }
        if (raw.size > limit || metaBytes > limit) {
          throw new TarError('limit', `tar metadata at offset ${offset} exceeds ${limit} bytes`, { offset });
        }
        const data = await readData(src, raw.size, offset);
        if (raw.typeflag === Typeflag.gnuLongName) meta.longName = cString(data);
        else if (raw.typeflag === Typeflag.gnuLongLink) meta.longLink = cString(data);
        else {
          const records = parsePaxRecords(data);
          if (records === undefined) {
            throw new TarError('malformed', `invalid PAX extended header at offset ${offset}`, { offset });
          }
          if (!isGlobal) mergePax(meta, records);
        }
        continue;
      }
      case Typeflag.gnuVolume:
        await readData(src, raw.size, offset);
        continue;
      default:
        return { header: buildEntryHeader(raw, meta, offset), offset };
    }
  }
}

/** After one zero block: the next must be zero too, or the input must end (as Go's archive/tar requires). */
async function expectEndMarker(src: ByteSource): Promise<void> {
  const offset = src.position;
  const block = await src.read(blockSize);
  if (block.length === 0 || isZeroBlock(block)) return;
  throw new TarError('malformed', `invalid tar archive: data after a zero block at offset ${offset}`, {
    offset,
  });
}

async function readData(src: ByteSource, size: number, offset: number): Promise<Buffer> {
  const data = await src.read(size);
  if (data.length < size) throw truncated(offset, 'the input ends inside a metadata entry');
  const pad = paddingAfter(size);
  if ((await src.skip(pad)) < pad) throw truncated(offset, 'the input ends inside a metadata entry');
  return Buffer.from(data);
}

function cString(data: Buffer): Buffer {
  const nul = data.indexOf(0);
  return nul < 0 ? data : data.subarray(0, nul);
}

function truncated(offset: number, what: string): TarError {
  return new TarError('truncated', `truncated tar archive: ${what} (offset ${offset})`, { offset });
}

/** The unread part of the current entry's body. */
class BodyCursor {
  private remaining: number;
  private started = false;
  private closed = false;

  constructor(
    private readonly src: ByteSource,
    private readonly header: TarHeader,
    private readonly offset: number,
  ) {
    this.remaining = header.size;
  }

  iterable(): AsyncIterable<Buffer> {
    return { [Symbol.asyncIterator]: () => this.chunks() };
  }

  /** Skips what the consumer did not read, and the padding. */
  async finish(): Promise<void> {
    this.closed = true;
    const need = this.remaining + paddingAfter(this.header.size);
    this.remaining = 0;
    if ((await this.src.skip(need)) < need) throw this.truncated();
  }

  private async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    if (this.started || this.closed) {
      throw new InternalError(
        `the body of tar entry ${JSON.stringify(this.header.path)} was read twice or too late`,
      );
    }
    this.started = true;
    while (this.remaining > 0) {
      if (this.closed)
        throw new InternalError('a tar entry body was read after the next entry was requested');
      const chunk = await this.src.readChunk(this.remaining);
      if (chunk === undefined) throw this.truncated();
      this.remaining -= chunk.length;
      yield chunk;
    }
  }

  private truncated(): TarError {
    return truncated(this.offset, `the body of ${JSON.stringify(this.header.path)} is incomplete`);
  }
}
