import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import {
  compressStream,
  compressionSettings,
  gzipMemberSize,
  isIncompressible,
} from '../../../src/oci/layer-compress.js';

async function gzipAll(data: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of compressStream(
    Readable.from([data]),
    compressionSettings({ compression: 'gzip', concurrency: 2 }),
  ))
    out.push(c);
  return Buffer.concat(out);
}

describe('incompressible gzip members', () => {
  const cases = [
    { name: 'random bytes', data: randomBytes(gzipMemberSize), want: true },
    { name: 'zeros', data: Buffer.alloc(gzipMemberSize), want: false },
    {
      name: 'source text',
      data: Buffer.from('export const answer = 42; // the answer\n'.repeat(30000)),
      want: false,
    },
    { name: 'an executable', data: readFileSync('/bin/busybox').subarray(0, gzipMemberSize), want: false },
    {
      name: 'gzip output',
      data: execFileSync('gzip', ['-c', '-9', '/bin/busybox'], { maxBuffer: 1 << 26 }).subarray(
        0,
        512 * 1024,
      ),
      want: true,
    },
    { name: 'too small to judge', data: randomBytes(1000), want: false },
  ];
  it.each(cases)('$name: incompressible = $want', ({ data, want }) => {
    expect(isIncompressible(data)).toBe(want);
  });

  it('stores random data instead of deflating it: same size class, still valid, still deterministic', async () => {
    const random = randomBytes(3 * gzipMemberSize + 12345);
    const text = Buffer.from('layer text line\n'.repeat(200000));
    const mixed = Buffer.concat([random, text]);
    const a = await gzipAll(mixed);
    const b = await gzipAll(mixed);
    expect(a.equals(b)).toBe(true);
    expect(gunzipSync(a).equals(mixed)).toBe(true);
    // GNU gzip agrees it is a valid multi-member stream
    expect(execFileSync('gzip', ['-dc'], { input: a, maxBuffer: 1 << 26 }).equals(mixed)).toBe(true);
    // stored members cost a few bytes per 64 KiB block; the text still shrinks
    expect(a.length).toBeLessThan(random.length + 1024 + text.length / 10);
    expect(a.length).toBeGreaterThan(random.length);
  });
});
