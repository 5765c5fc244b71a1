import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { gzipMemberSize } from '../../../src/oci/layer-compress.js';
import { writeLayer } from '../../../src/oci/layer-writer.js';
import { inPieces, sampleTar, sha256Of } from './helpers.js';

/**
 * The Action ships as one ncc bundle. writeLayer must work from it — on the Node that runs the tests (24) and on
 * the system Node (20 here) — give the same bytes as in-process, and on a Node without zstd say so clearly.
 */
const repo = join(import.meta.dirname, '..', '..', '..');
let dir: string;
let tarFile: string;
let expected: { diffId: string; digest: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'layer-ncc-'));
  const entry = join(import.meta.dirname, 'fixtures', 'bundle-entry.ts');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'ncc'),
    ['build', entry, '-o', join(dir, 'dist'), '--transpile-only'],
    {
      cwd: repo,
      stdio: 'pipe',
    },
  );
  const tar = await sampleTar(2 * gzipMemberSize + 777, 'ncc');
  tarFile = join(dir, 'layer.tar');
  writeFileSync(tarFile, tar);
  const sink = {
    path: join(dir, 'in-process.gz'),
    commit: async () => ({
      digest: sha256Of(readFileSync(join(dir, 'in-process.gz'))) as `sha256:${string}`,
      size: 0,
    }),
    abort: async () => undefined,
  };
  expected = await writeLayer(inPieces(tar, 65_536), sink, { compression: 'gzip', concurrency: 2 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Node binaries to try: this one, and every other one on PATH (the system Node 20 here). */
function nodes(): string[] {
  const onPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'node'));
  const all = [process.execPath, ...onPath].filter((p) => existsSync(p)).map((p) => realpathSync(p));
  return [...new Set(all)];
}

function run(node: string, compression: string): { status: number | null; stdout: string } {
  const out = join(dir, `out-${compression}`);
  const r = spawnSync(node, [join(dir, 'dist', 'index.js'), tarFile, compression, '2', out], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout.trim() };
}

test.each(nodes())(
  'gzip from the bundle on %s gives a valid layer (the in-process bytes on this Node)',
  (node) => {
    const r = run(node, 'gzip');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { diffId: string; digest: string };
    expect(result.diffId).toBe(expected.diffId);
    expect(sha256Of(gunzipSync(readFileSync(join(dir, 'out-gzip'))))).toBe(expected.diffId);
    // Another Node may bundle another zlib; digests are only promised for the same runtime.
    if (node === realpathSync(process.execPath)) expect(result.digest).toBe(expected.digest);
  },
);

test.each(nodes())('zstd from the bundle on %s works, or says which Node it needs', (node) => {
  const hasZstd = spawnSync(node, ['-p', "typeof require('node:zlib').createZstdCompress"], {
    encoding: 'utf8',
  }).stdout;
  const r = run(node, 'zstd');
  if (hasZstd.trim() === 'function') {
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
  } else {
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^input 'compression': zstd needs Node\.js 22\.15 or later, this is v\d+.* — use compression gzip/,
    );
  }
});
