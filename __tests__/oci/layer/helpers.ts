import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarStream } from '../../../src/oci/tar/writer.js';
import { openStore } from '../../../src/store/index.js';
import type { ImageStore } from '../../../src/store/types.js';

/** A fresh content store in a temp directory (the real one from src/store). */
export async function tempStore(): Promise<ImageStore> {
  return openStore(mkdtempSync(join(tmpdir(), 'layer-store-')));
}

/** Deterministic, compressible text (like source code) of `size` bytes. */
export function sampleText(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let offset = 0;
  let i = 0;
  while (offset < size) {
    const h = createHash('sha256').update(`${seed}:${i++}`).digest('hex');
    const line = `const v${h.slice(0, 4)} = compute("${h.slice(4, 20)}", ${parseInt(h.slice(20, 24), 16)}); // ${seed}\n`;
    offset += out.write(line, offset);
  }
  return out;
}

/** A real layer tar of about `size` bytes: files of sample text under dir/. */
export async function sampleTar(size: number, seed = 'layer'): Promise<Buffer> {
  const files = Math.max(1, Math.ceil(size / 300_000));
  const entries = [
    { header: { path: 'dir', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 } as const },
  ];
  const bodies = Array.from({ length: files }, (_, i) =>
    sampleText(Math.floor(size / files), `${seed}-${i}`),
  );
  const all = [
    ...entries,
    ...bodies.map((body, i) => ({
      header: {
        path: `dir/file-${i}.js`,
        type: 'file' as const,
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: body.length,
        mtime: 0,
      },
      body,
    })),
  ];
  const chunks: Buffer[] = [];
  for await (const c of tarStream(all)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Yields `data` in pieces of `size` bytes (as a stream of unknown length would). */
export async function* inPieces(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export function sha256Of(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Byte equality without jest's slow element-wise diff of large buffers. */
export function expectSameBytes(got: Uint8Array, want: Uint8Array): void {
  const a = Buffer.from(got.buffer, got.byteOffset, got.length);
  const b = Buffer.from(want.buffer, want.byteOffset, want.length);
  expect({ length: a.length, sha256: sha256Of(a) }).toEqual({ length: b.length, sha256: sha256Of(b) });
}
