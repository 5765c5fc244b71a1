import { spawn } from 'node:child_process';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { BuildStepError } from '../errors.js';

/** How a stream is compressed, judged from its first bytes. */
export type StreamCompression = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'none';

/** Bytes `sniffCompression` needs to decide (fewer are fine; they just match less). */
export const sniffLength = 6;

const magics: readonly (readonly [StreamCompression, readonly number[]])[] = [
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * The compression of a stream from its first bytes, with Docker's (moby DetectCompression) magic numbers: gzip
 * `1f 8b 08`, bzip2 `BZh`, xz `fd 37 7a 58 5a 00`, zstd `28 b5 2f fd` or a zstd skippable frame
 * (`5? 2a 4d 18`, as zstd:chunked layers start). Anything else is 'none'.
 */
export function sniffCompression(firstBytes: Uint8Array): StreamCompression {
  for (const [name, magic] of magics) {
    if (firstBytes.length >= magic.length && magic.every((b, i) => firstBytes[i] === b)) return name;
  }
  const [b0, b1, b2, b3] = firstBytes;
  if (firstBytes.length >= 4 && (b0! & 0xf0) === 0x50 && b1 === 0x2a && b2 === 0x4d && b3 === 0x18)
    return 'zstd';
  return 'none';
}

/**
 * The decompressed form of `source`. The compression is sniffed from the first bytes unless given. gzip
 * (multi-member too) and zstd decompress in-process (zstd through the `zstd` program on a Node without it);
 * bzip2 and xz through `bzip2 -dc` / `xz -dc`. Corrupt data and missing programs are BuildStepErrors; errors
 * of `source` itself pass through unchanged. Stopping early stops the work (and any child process).
 */
export function decompressStream(source: AsyncIterable<Uint8Array>, opts: DecompressOptions = {}): Readable {
  return Readable.from(decompressed(source, opts), { objectMode: false });
}

export interface DecompressOptions {
  /** Skip sniffing: the stream is known to be compressed this way. */
  readonly compression?: StreamCompression;
  /** The programs to run for bzip2, xz (and zstd on a Node without it); default: looked up on PATH. */
  readonly programs?: Readonly<Partial<Record<'bzip2' | 'xz' | 'zstd', string>>>;
}

async function* decompressed(
  source: AsyncIterable<Uint8Array>,
  opts: DecompressOptions,
): AsyncGenerator<Buffer> {
  const given = opts.compression;
  const program = (name: 'bzip2' | 'xz' | 'zstd'): string => opts.programs?.[name] ?? name;
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (given === undefined && headLength < sniffLength) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headLength += next.value.length;
  }
  const compression = given ?? sniffCompression(Buffer.concat(head));
  const input = withHead(head, ended ? undefined : iterator);
  switch (compression) {
    case 'none':
      yield* input;
      return;
    case 'gzip':
      yield* throughTransform(input, zlib.createGunzip(), 'gzip');
      return;
    case 'zstd':
      if (typeof (zlib as Partial<typeof zlib>).createZstdDecompress === 'function') {
        yield* throughTransform(input, zlib.createZstdDecompress(), 'zstd');
      } else {
        yield* throughProgram(input, program('zstd'), 'zstd', 'zstd');
      }
      return;
    case 'bzip2':
      yield* throughProgram(input, program('bzip2'), 'bzip2', 'bzip2');
      return;
    case 'xz':
      yield* throughProgram(input, program('xz'), 'xz', 'xz-utils');
      return;
  }
}

async function* withHead(
  head: readonly Buffer[],
  rest: AsyncIterator<Uint8Array> | undefined,
): AsyncGenerator<Buffer> {
  yield* head;
  if (!rest) return;
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  } finally {
    await rest.return?.();
  }
}

/**
 * Passes `input` through, recording the errors `input` itself throws so they can be told from the
 * decompressor's (which pipeline() injects here too, through the generator's throw()).
 */
async function* tracked(input: AsyncIterable<Buffer>, sourceErrors: unknown[]): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (err) {
        sourceErrors.push(err);
        throw err;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function corrupt(kind: string, err: unknown): BuildStepError {
  const detail =
    typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
  return new BuildStepError(`invalid ${kind} data: ${detail}`, {
    hint: 'the archive or layer is corrupt or truncated',
    cause: err,
  });
}

async function* throughTransform(
  input: AsyncIterable<Buffer>,
  transform: Transform,
  kind: string,
): AsyncGenerator<Buffer> {
  const sourceErrors: unknown[] = [];
  const feeding = pipeline(Readable.from(tracked(input, sourceErrors)), transform);
  feeding.catch(() => undefined); // the same error surfaces on the readable side
  try {
    for await (const chunk of transform) yield chunk as Buffer;
    await feeding;
  } catch (err) {
    if (sourceErrors.includes(err)) throw err;
    throw corrupt(kind, err);
  } finally {
    transform.destroy();
  }
}

/** Runs `<program> -dc`, feeding `input` to its stdin and yielding its stdout. */
async function* throughProgram(
  input: AsyncIterable<Buffer>,
  program: string,
  kind: string,
  debianPackage: string,
): AsyncGenerator<Buffer> {
  const child = spawn(program, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.length < 16 && stderr.push(c));
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  const sourceErrors: unknown[] = [];
  const feeding = pipeline(Readable.from(tracked(input, sourceErrors)), child.stdin);
  feeding.catch(() => undefined); // EPIPE when the program stops early; its exit status says why
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const { code, error } = await exited;
    await feeding.catch(() => undefined);
    if (sourceErrors.length > 0) throw sourceErrors[0];
    if (error?.code === 'ENOENT') {
      throw new BuildStepError(`cannot decompress ${kind} data: the '${program}' program is not installed`, {
        hint: `install it (Debian/Ubuntu: apt-get install ${debianPackage})`,
      });
    }
    if (error) throw corrupt(kind, error);
    if (code !== 0) {
      const message = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] || `exit code ${code}`;
      throw corrupt(kind, new Error(message));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
