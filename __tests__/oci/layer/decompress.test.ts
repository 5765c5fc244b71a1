import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildStepError } from '../../../src/errors.js';
import { decompressStream, sniffCompression, type StreamCompression } from '../../../src/oci/decompress.js';
import { readTar } from '../../../src/oci/tar/reader.js';
import { expectSameBytes, inPieces, sampleTar } from './helpers.js';

/** The real compressors, so the test does not check our reading against our own writing. */
const tools: Readonly<Record<Exclude<StreamCompression, 'none'>, string[]>> = {
  gzip: ['gzip', '-c'],
  bzip2: ['bzip2', '-c'],
  xz: ['xz', '-c'],
  zstd: ['zstd', '-c', '-q'],
};

function compressWithTool(kind: Exclude<StreamCompression, 'none'>, data: Buffer): Buffer {
  const [cmd, ...args] = tools[kind];
  return execFileSync(cmd!, args, { input: data, maxBuffer: 1 << 30 });
}

/** Small pieces first (the sniffer must gather its bytes), then big ones. */
async function* awkwardPieces(data: Buffer): AsyncIterable<Uint8Array> {
  for (let i = 0; i < Math.min(5, data.length); i++) yield data.subarray(i, i + 1);
  yield* inPieces(data.subarray(5), 100_000);
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

let tar: Buffer;
beforeAll(async () => {
  tar = await sampleTar(1_500_000, 'decompress');
});

describe('sniffCompression', () => {
  const cases: { name: string; given: number[] | Buffer; want: StreamCompression }[] = [
    { name: 'gzip', given: [0x1f, 0x8b, 0x08, 0, 0, 0], want: 'gzip' },
    { name: 'gzip magic with another method', given: [0x1f, 0x8b, 0x07], want: 'none' },
    { name: 'bzip2', given: Buffer.from('BZh91AY'), want: 'bzip2' },
    { name: 'xz', given: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], want: 'xz' },
    { name: 'xz cut short', given: [0xfd, 0x37, 0x7a, 0x58, 0x5a], want: 'none' },
    { name: 'zstd frame', given: [0x28, 0xb5, 0x2f, 0xfd, 0x04], want: 'zstd' },
    { name: 'zstd skippable frame (zstd:chunked)', given: [0x5e, 0x2a, 0x4d, 0x18, 8, 0], want: 'zstd' },
    { name: 'a tar header', given: Buffer.from('etc/passwd\0\0\0'), want: 'none' },
    { name: 'nothing', given: [], want: 'none' },
    { name: 'one byte of gzip', given: [0x1f], want: 'none' },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(sniffCompression(Buffer.from(given))).toBe(want);
  });
});

describe('decompressStream', () => {
  test.each(Object.keys(tools) as Exclude<StreamCompression, 'none'>[])(
    '%s made by the real tool',
    async (kind) => {
      const compressed = compressWithTool(kind, tar);
      expect(sniffCompression(compressed)).toBe(kind);
      expectSameBytes(await collect(decompressStream(awkwardPieces(compressed))), tar);
    },
  );

  test('uncompressed data passes through unchanged', async () => {
    expectSameBytes(await collect(decompressStream(awkwardPieces(tar))), tar);
  });

  test('a tiny uncompressed input (shorter than the magic numbers)', async () => {
    expect(await collect(decompressStream(inPieces(Buffer.from('abc'), 1)))).toEqual(Buffer.from('abc'));
    expect(await collect(decompressStream(inPieces(Buffer.alloc(0), 1)))).toEqual(Buffer.alloc(0));
  });

  test('concatenated gzip members decode to the concatenation', async () => {
    const a = tar.subarray(0, 700_000);
    const b = tar.subarray(700_000);
    const both = Buffer.concat([compressWithTool('gzip', a), compressWithTool('gzip', b)]);
    expectSameBytes(await collect(decompressStream(inPieces(both, 4096))), tar);
  });

  test('a given compression overrides sniffing', async () => {
    const gz = compressWithTool('gzip', tar);
    expectSameBytes(await collect(decompressStream(inPieces(gz, 4096), { compression: 'none' })), gz);
  });

  test('readTar reads a .tar.xz made by GNU tar through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'decompress-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'A');
      writeFileSync(join(dir, 'b.txt'), 'BB');
      const txz = execFileSync('tar', ['-cJf', '-', '--sort=name', '-C', dir, 'a.txt', 'b.txt']);
      const got: string[] = [];
      for await (const e of readTar(decompressStream(inPieces(txz, 10)))) {
        got.push(`${e.header.path}=${(await collect(e.body)).toString()}`);
      }
      expect(got).toEqual(['a.txt=A', 'b.txt=BB']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decompressStream failures', () => {
  const truncated = (kind: Exclude<StreamCompression, 'none'>) => () => {
    const c = compressWithTool(kind, tar);
    return c.subarray(0, Math.floor(c.length / 2));
  };
  const corrupted = (kind: Exclude<StreamCompression, 'none'>) => () => {
    const c = Buffer.from(compressWithTool(kind, tar));
    for (let i = 200; i < 400; i++) c[i] = c[i]! ^ 0x55;
    return c;
  };
  const cases: { name: string; given: () => Buffer; want: RegExp }[] = [
    { name: 'truncated gzip', given: truncated('gzip'), want: /^invalid gzip data: unexpected end of file/ },
    { name: 'corrupted gzip', given: corrupted('gzip'), want: /^invalid gzip data: / },
    { name: 'truncated zstd', given: truncated('zstd'), want: /^invalid zstd data: / },
    { name: 'corrupted zstd', given: corrupted('zstd'), want: /^invalid zstd data: / },
    {
      name: 'truncated xz (the tool says why)',
      given: truncated('xz'),
      want: /^invalid xz data: xz: .*(Unexpected end|truncated)/i,
    },
    { name: 'corrupted bzip2', given: corrupted('bzip2'), want: /^invalid bzip2 data: bzip2: / },
  ];
  test.each(cases)('$name', async ({ given, want }) => {
    const err = await collect(decompressStream(inPieces(given(), 65_536))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildStepError);
    expect((err as BuildStepError).message).toMatch(want);
    expect((err as BuildStepError).userMessage()).toMatch(/ — the archive or layer is corrupt or truncated$/);
  });

  test.each(['gzip', 'xz'] as const)(
    'an error of the source itself passes through unchanged (%s)',
    async (kind) => {
      const compressed = compressWithTool(kind, tar);
      const failure = new Error('connection reset by registry');
      async function* failing(): AsyncIterable<Uint8Array> {
        yield compressed.subarray(0, 100_000);
        throw failure;
      }
      await expect(collect(decompressStream(failing()))).rejects.toBe(failure);
    },
  );

  test('a missing program is named, with the package to install', async () => {
    const xz = compressWithTool('xz', tar);
    const err = await collect(
      decompressStream(inPieces(xz, 65_536), { programs: { xz: '/nonexistent/xz' } }),
    ).catch((e: unknown) => e);
    expect((err as BuildStepError).userMessage()).toBe(
      "cannot decompress xz data: the '/nonexistent/xz' program is not installed — install it (Debian/Ubuntu: apt-get install xz-utils)",
    );
  });

  test('a program given by path is used', async () => {
    const bz = compressWithTool('bzip2', tar);
    const bzip2 = execFileSync('sh', ['-c', 'command -v bzip2'], { encoding: 'utf8' }).trim();
    expectSameBytes(await collect(decompressStream(inPieces(bz, 65_536), { programs: { bzip2 } })), tar);
  });

  test('stopping early ends the work without errors', async () => {
    const compressed = compressWithTool('xz', tar);
    const stream = decompressStream(inPieces(compressed, 4096));
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });
});
