import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../../../src/oci/digest.js';
import { gzipMemberSize } from '../../../src/oci/layer-compress.js';
import { writeLayer, type LayerWriteResult } from '../../../src/oci/layer-writer.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { readTar } from '../../../src/oci/tar/reader.js';
import type { ImageStore } from '../../../src/store/types.js';
import { expectSameBytes, inPieces, sampleTar, sha256Of, tempStore } from './helpers.js';

/**
 * Go tools read our layers: umoci (Go's gzip, multi-member) unpacks an image made of one, checking blob digests
 * and the config's diff_ids; skopeo (containers/image, Go gzip and zstd) decompresses them, which names the
 * result by its digest — our diffID.
 */
let store: ImageStore;
let dir: string;
let tar: Buffer;
beforeAll(async () => {
  store = await tempStore();
  dir = mkdtempSync(join(tmpdir(), 'layer-tools-'));
  tar = await sampleTar(2 * gzipMemberSize + 5000, 'tools'); // three gzip members
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(store.root, { recursive: true, force: true });
});

/** Stores a one-layer image and tags it `name`; `diffId` may be overridden to check that tools verify it. */
async function storeImage(
  name: string,
  layer: LayerWriteResult,
  diffId: Digest = layer.diffId,
): Promise<void> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const configInfo = await store.put(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...configInfo },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    }),
  );
  const info = await store.put(manifest);
  await store.tag(name, { mediaType: MediaType.ociManifest, ...info });
}

async function layerOf(compression: 'gzip' | 'zstd'): Promise<LayerWriteResult> {
  return writeLayer(inPieces(tar, 100_000), await store.ingest(), { compression, concurrency: 2 });
}

test('umoci unpacks an image whose layer is our multi-member gzip', async () => {
  const layer = await layerOf('gzip');
  await storeImage('gzip', layer);
  const bundle = join(dir, 'bundle');
  execFileSync('umoci', ['unpack', '--image', `${store.root}:gzip`, bundle], { stdio: 'pipe' });
  for await (const { header, body } of readTar(inPieces(tar, 1 << 20))) {
    if (header.type !== 'file') continue;
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c);
    expectSameBytes(readFileSync(join(bundle, 'rootfs', header.path)), Buffer.concat(chunks));
  }
});

test('umoci rejects the same layer under a wrong diff_id (so the check above verified ours)', async () => {
  const layer = await layerOf('gzip');
  await storeImage('wrong-diffid', layer, sha256Of(Buffer.from('not the tar')) as Digest);
  const run = () =>
    execFileSync('umoci', ['unpack', '--image', `${store.root}:wrong-diffid`, join(dir, 'b2')], {
      stdio: 'pipe',
    });
  expect(run).toThrow(/diffid/i);
});

test.each(['gzip', 'zstd'] as const)(
  'skopeo decompresses our %s layer to a blob named by our diffID',
  async (compression) => {
    const layer = await layerOf(compression);
    await storeImage(`skopeo-${compression}`, layer);
    const out = join(dir, `skopeo-${compression}`);
    execFileSync(
      'skopeo',
      ['copy', '--dest-decompress', `oci:${store.root}:skopeo-${compression}`, `dir:${out}`],
      {
        stdio: 'pipe',
      },
    );
    const decompressed = readFileSync(join(out, layer.diffId.slice('sha256:'.length)));
    expectSameBytes(decompressed, tar);
  },
);
