import { Readable } from 'node:stream';
import { readTar } from '../../../src/oci/tar/reader.js';
import type { TarHeader } from '../../../src/oci/tar/types.js';
import { TarWriter, type TarBody } from '../../../src/oci/tar/writer.js';

/** The header shape of the fixture JSON files (mode as an octal string, xattr values base64). */
export interface FixtureHeader extends Omit<TarHeader, 'mode' | 'xattrs'> {
  readonly mode: string;
  readonly xattrs?: Record<string, string>;
}

export interface FixtureEntry {
  readonly header: FixtureHeader;
  readonly body?: string;
  readonly repeat?: number;
}

export function headerFromFixture(h: FixtureHeader): TarHeader {
  const { mode, xattrs, ...rest } = h;
  return {
    ...rest,
    mode: parseInt(mode, 8),
    ...(xattrs
      ? { xattrs: Object.fromEntries(Object.entries(xattrs).map(([k, v]) => [k, Buffer.from(v, 'base64')])) }
      : {}),
  };
}

export function bodyFromFixture(e: FixtureEntry): Buffer | undefined {
  if (e.body === undefined) return undefined;
  return Buffer.from(e.body.repeat(e.repeat ?? 1), 'utf8');
}

export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Writes entries with TarWriter and returns the whole archive. */
export async function writeArchive(
  entries: readonly { readonly header: TarHeader; readonly body?: TarBody }[],
): Promise<Buffer> {
  const writer = new TarWriter();
  const out = collect(writer.stream);
  for (const { header, body } of entries) await writer.add(header, body);
  await writer.finish();
  return out;
}

export interface ReadEntry {
  readonly header: TarHeader;
  readonly body: Buffer;
}

/** Reads a whole archive (given as bytes, split into `chunkSize` pieces) with readTar. */
export async function readArchive(bytes: Buffer, chunkSize = 4096): Promise<ReadEntry[]> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) pieces.push(bytes.subarray(i, i + chunkSize));
  const entries: ReadEntry[] = [];
  for await (const { header, body } of readTar(Readable.from(pieces)))
    entries.push({ header, body: await collect(body) });
  return entries;
}

/** Undefined when equal, else the first differing 512-byte block of each, printable, for a readable failure. */
export function firstDifference(got: Buffer, want: Buffer): string | undefined {
  if (got.equals(want)) return undefined;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const start = i - (i % 512);
  const show = (b: Buffer): string =>
    JSON.stringify(b.subarray(start, start + 512).toString('latin1')).replace(/(\\u0000)+/g, '·');
  return `lengths ${got.length} vs ${want.length}; first difference at byte ${i} (block at ${start})\n got: ${show(got)}\nwant: ${show(want)}`;
}
