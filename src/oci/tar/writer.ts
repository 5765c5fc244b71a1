import { Readable } from 'node:stream';
import { TarError } from './errors.js';
import { blockSize, paddingAfter } from './format.js';
import { encodeHeader } from './header-encode.js';
import type { TarHeader } from './types.js';

export type TarBody = Buffer | AsyncIterable<Uint8Array>;

const endOfArchive = Buffer.alloc(2 * blockSize);

/**
 * A streaming, deterministic tar writer. Read the archive from `stream`; `add` resolves once the entry has been
 * handed to the stream, waiting while the consumer is behind (backpressure), so memory stays bounded by the
 * stream's buffer whatever the file sizes. Calls are serialised: `add` may be called without awaiting the
 * previous one. The archive ends with two zero blocks and no record padding (as Go's archive/tar).
 */
export class TarWriter {
  readonly stream: Readable;
  private tail: Promise<void> = Promise.resolve();
  private wake: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private finished = false;
  /** Bytes handed to the stream so far. */
  bytesWritten = 0;

  constructor(opts: { readonly highWaterMark?: number } = {}) {
    this.stream = new Readable({
      highWaterMark: opts.highWaterMark ?? 1 << 20,
      read: () => this.resume(),
    });
    this.stream.once('close', () => {
      if (!this.finished)
        this.fail(new TarError('truncated', 'the tar stream was closed before it was finished'));
    });
  }

  /** Appends an entry. A `file` needs a body of exactly `header.size` bytes; other types take none. */
  add(header: TarHeader, body?: TarBody): Promise<void> {
    return this.enqueue(async () => {
      if (this.finished)
        throw new TarError('invalid-header', `cannot add ${JSON.stringify(header.path)}: finished`);
      if (header.type !== 'file' && body !== undefined) {
        throw new TarError(
          'invalid-header',
          `cannot write tar entry ${JSON.stringify(header.path)}: a ${header.type} has no body`,
        );
      }
      const blocks = encodeHeader(header);
      if (body === undefined && header.size !== 0) throw sizeMismatch(header, 0);
      if (Buffer.isBuffer(body) && body.length !== header.size) throw sizeMismatch(header, body.length);
      await this.push(blocks);
      await this.guard(() => this.writeBody(header, body ?? Buffer.alloc(0)));
    });
  }

  /** Writes the end-of-archive marker and ends the stream. */
  finish(): Promise<void> {
    return this.enqueue(async () => {
      if (this.finished) return;
      await this.push(endOfArchive);
      this.finished = true;
      this.stream.push(null);
    });
  }

  /** Runs after every earlier call; a failed call fails every later one. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(() => {
      if (this.failure) throw this.failure;
      return task();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Once body bytes are out, a failure leaves a corrupt archive: destroy the stream so the consumer sees it. */
  private async guard(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.fail(err);
      this.stream.destroy(err);
      throw err;
    }
  }

  private async writeBody(header: TarHeader, body: TarBody): Promise<void> {
    if (Buffer.isBuffer(body)) {
      if (body.length > 0) await this.push(body);
    } else {
      let written = 0;
      for await (const chunk of body) {
        if (written + chunk.length > header.size)
          throw sizeMismatch(header, written + chunk.length, 'at least ');
        written += chunk.length;
        if (chunk.length > 0) await this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      }
      if (written !== header.size) throw sizeMismatch(header, written);
    }
    const pad = paddingAfter(header.size);
    if (pad > 0) await this.push(endOfArchive.subarray(0, pad));
  }

  private async push(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytesWritten += chunk.length;
    if (this.stream.push(chunk)) return;
    await new Promise<void>((resolve, reject) => (this.wake = { resolve, reject }));
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.resolve();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const wake = this.wake;
    this.wake = undefined;
    wake?.reject(err);
  }
}

function sizeMismatch(h: TarHeader, got: number, qualifier = ''): TarError {
  return new TarError(
    'size-mismatch',
    `tar entry ${JSON.stringify(h.path)}: the header says ${h.size} bytes but the body has ${qualifier}${got}`,
  );
}

/** Convenience: a tar stream of `entries`, written in order; an error in any entry destroys the stream. */
export function tarStream(
  entries:
    | AsyncIterable<{ readonly header: TarHeader; readonly body?: TarBody }>
    | Iterable<{ readonly header: TarHeader; readonly body?: TarBody }>,
): Readable {
  const writer = new TarWriter();
  void (async () => {
    try {
      for await (const { header, body } of entries) await writer.add(header, body);
      await writer.finish();
    } catch (e) {
      writer.stream.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  return writer.stream;
}
