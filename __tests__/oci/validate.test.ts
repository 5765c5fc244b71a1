import { mkdtemp, rm, unlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { sha256 } from '../../src/oci/digest.js';
import { writeIndex } from '../../src/oci/image-draft.js';
import type { Image } from '../../src/oci/image.js';
import { describeBytes, encodeConfig, encodeJson, encodeManifest } from '../../src/oci/manifest-codec.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { Descriptor, ImageConfig, ImageManifest } from '../../src/oci/types.js';
import {
  assertValidImage,
  describeProblem,
  validateImage,
  type ImageProblem,
} from '../../src/oci/validate.js';
import { openStore } from '../../src/store/open-store.js';
import type { ImageStore } from '../../src/store/types.js';
import { buildTestImage, file, layerTar } from '../helpers/images.js';

let dir: string;
let store: ImageStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oci-validate-'));
  store = await openStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const twoLayers = [[file('a', 'one\n')], [file('b', 'two\n')]];

/** Re-encodes a manifest (and optionally a new config) and stores both; returns the manifest's descriptor. */
async function storeManifest(manifest: ImageManifest, config?: object): Promise<Descriptor> {
  let m = manifest;
  if (config) {
    const bytes = Buffer.from(encodeJson(config));
    await store.put(bytes);
    m = { ...m, config: describeBytes(bytes, m.config.mediaType) };
  }
  const bytes = encodeManifest(m);
  await store.put(bytes);
  return describeBytes(bytes, m.mediaType);
}

async function putBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
  await store.put(bytes);
  return describeBytes(bytes, mediaType);
}

type Breaker = (image: Image) => Promise<Descriptor>;

const withConfig = (image: Image, change: (c: ImageConfig) => object): Promise<Descriptor> =>
  storeManifest(image.manifest, change(image.config));
const withLayers = (image: Image, layers: Descriptor[]): Promise<Descriptor> =>
  storeManifest({ ...image.manifest, layers });

const cases: {
  name: string;
  given: { compression?: 'gzip' | 'none'; break: Breaker };
  want: { kinds: string[]; text: RegExp };
}[] = [
  {
    name: 'missing layer blob',
    given: {
      break: async (i) => (await unlink(store.blobPath(i.layers[1]!.descriptor.digest)), i.descriptor),
    },
    want: { kinds: ['missing-blob'], text: /layers\[1\]: blob sha256:[0-9a-f]{64} is missing/ },
  },
  {
    name: 'missing config blob',
    given: { break: async (i) => (await unlink(store.blobPath(i.manifest.config.digest)), i.descriptor) },
    want: { kinds: ['missing-blob'], text: /config: blob .* is missing/ },
  },
  {
    name: 'missing manifest blob',
    given: { break: async (i) => (await unlink(store.blobPath(i.descriptor.digest)), i.descriptor) },
    want: { kinds: ['missing-blob'], text: /^manifest sha256:.*: blob .* is missing$/ },
  },
  {
    name: 'layer descriptor with the wrong size',
    given: {
      break: (i) => withLayers(i, [i.layers[0]!.descriptor, { ...i.layers[1]!.descriptor, size: 5 }]),
    },
    want: { kinds: ['size-mismatch'], text: /layers\[1\]: blob .* is \d+ bytes, the descriptor says 5/ },
  },
  {
    name: 'layer blob corrupted on disk (same size)',
    given: {
      compression: 'none',
      break: async (i) => {
        const path = store.blobPath(i.layers[0]!.descriptor.digest);
        const bytes = await readFile(path);
        bytes[512] = bytes[512]! ^ 0xff; // first byte of the file body
        await writeFile(path, bytes);
        return i.descriptor;
      },
    },
    want: { kinds: ['digest-mismatch', 'diff-id-mismatch'], text: /layers\[0\]: blob .* hashes to sha256:/ },
  },
  {
    name: 'corrupt gzip stream',
    given: {
      break: async (i) => {
        const path = store.blobPath(i.layers[0]!.descriptor.digest);
        const bytes = await readFile(path);
        bytes[bytes.length - 6] = bytes[bytes.length - 6]! ^ 0xff; // inside the CRC32 trailer
        await writeFile(path, bytes);
        return i.descriptor;
      },
    },
    want: {
      kinds: ['digest-mismatch', 'unreadable-layer'],
      text: /layers\[0\]: layer .*tar\+gzip\): .*check/i,
    },
  },
  {
    name: 'wrong diffID in the config',
    given: {
      break: (i) =>
        withConfig(i, (c) => ({
          ...c,
          rootfs: { type: 'layers', diff_ids: [c.rootfs.diff_ids[0], sha256('x')] },
        })),
    },
    want: {
      kinds: ['diff-id-mismatch'],
      text: /layers\[1\]: uncompressed content hashes to .*, the config's diff_id is/,
    },
  },
  {
    name: 'more diff_ids than layers',
    given: {
      break: (i) =>
        withConfig(i, (c) => ({
          ...c,
          rootfs: { type: 'layers', diff_ids: [...c.rootfs.diff_ids, sha256('x')] },
        })),
    },
    want: { kinds: ['diff-id-count'], text: /3 rootfs.diff_ids for 2 layers/ },
  },
  {
    name: 'history does not account for every layer',
    given: { break: (i) => withConfig(i, (c) => ({ ...c, history: c.history!.slice(1) })) },
    want: { kinds: ['history-count'], text: /1 history entries with a layer for 2 layers/ },
  },
  {
    name: 'layer typed gzip holds a plain tar',
    given: {
      break: async (i) => {
        const tar = await layerTar([file('c', '3')]);
        const layer = await putBlob(tar, MediaType.ociLayerGzip);
        return withLayers(i, [i.layers[0]!.descriptor, layer]);
      },
    },
    want: { kinds: ['unreadable-layer'], text: /layers\[1\]: layer .*incorrect header check/ },
  },
  {
    name: 'gzip of bytes that are not a tar',
    given: {
      break: async (i) => {
        const layer = await putBlob(zlib.gzipSync(Buffer.alloc(1024, 'x')), MediaType.ociLayerGzip);
        return withConfig({ ...i, manifest: { ...i.manifest, layers: [layer] } }, (c) => ({
          ...c,
          rootfs: { type: 'layers', diff_ids: [sha256(Buffer.alloc(1024, 'x'))] },
          history: [{ created_by: 'x' }],
        }));
      },
    },
    want: { kinds: ['unreadable-layer'], text: /layers\[0\]: layer .*: .*(checksum|tar)/i },
  },
  {
    name: 'Docker layer type in an OCI manifest',
    given: {
      break: (i) =>
        withLayers(i, [
          { ...i.layers[0]!.descriptor, mediaType: MediaType.dockerLayerGzip },
          i.layers[1]!.descriptor,
        ]),
    },
    want: {
      kinds: ['mixed-media-types'],
      text: /layers\[0\]: media type application\/vnd.docker.image.rootfs.diff.tar.gzip in a oci image/,
    },
  },
  {
    name: 'Docker config type in an OCI manifest',
    given: {
      break: (i) =>
        storeManifest({ ...i.manifest, config: { ...i.manifest.config, mediaType: MediaType.dockerConfig } }),
    },
    want: {
      kinds: ['mixed-media-types'],
      text: /config: media type application\/vnd.docker.container.image.v1\+json in a oci image/,
    },
  },
  {
    name: 'config without rootfs',
    given: { break: (i) => withConfig(i, (c) => ({ architecture: c.architecture, os: c.os })) },
    want: { kinds: ['invalid-config'], text: /rootfs must be/ },
  },
  {
    name: 'schema 1 manifest',
    given: {
      break: (_i) => putBlob(Buffer.from('{"schemaVersion":1,"fsLayers":[]}'), MediaType.ociManifest),
    },
    want: { kinds: ['invalid-manifest'], text: /Docker schema 1/ },
  },
  {
    name: 'manifest blob replaced on disk',
    given: {
      break: async (i) => {
        const path = store.blobPath(i.descriptor.digest);
        const bytes = await readFile(path);
        await writeFile(path, Buffer.from(bytes.toString().replace('"size"', '"size" ')));
        return { ...i.descriptor, size: i.descriptor.size + 1 };
      },
    },
    want: { kinds: ['digest-mismatch'], text: /^manifest sha256:\S+: blob .* hashes to/ },
  },
];

test.each(cases)('catches: $name', async ({ given, want }) => {
  const image = await buildTestImage(store, { layers: twoLayers, compression: given.compression });
  expect(await validateImage(store, image.descriptor)).toEqual([]);
  const broken = await given.break(image);
  const problems = await validateImage(store, broken);
  expect(problems.map((p) => p.kind).sort()).toEqual([...want.kinds].sort());
  expect(problems.map(describeProblem).join('\n')).toMatch(want.text);
  await expect(assertValidImage(store, broken, 'app:1')).rejects.toThrow(/^image app:1 is invalid: /);
});

const valid = [
  { name: 'OCI gzip', given: { compression: 'gzip', family: 'oci' } },
  { name: 'OCI zstd', given: { compression: 'zstd', family: 'oci' } },
  { name: 'OCI uncompressed', given: { compression: 'none', family: 'oci' } },
  { name: 'Docker schema 2', given: { compression: 'gzip', family: 'docker' } },
  { name: 'no layers', given: { compression: 'gzip', family: 'oci', empty: true } },
] as const;
test.each(valid)('a valid image has no problems: $name', async ({ given }) => {
  const image = await buildTestImage(store, { layers: 'empty' in given ? [] : twoLayers, ...given });
  expect(await validateImage(store, image.descriptor)).toEqual([]);
  await expect(assertValidImage(store, image.descriptor)).resolves.toBeUndefined();
});

describe('indexes', () => {
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'arm64' };

  test('a valid index and each child are checked recursively', async () => {
    const a = await buildTestImage(store, { layers: twoLayers, platform: amd64 });
    const b = await buildTestImage(store, { layers: [[file('x', 'arm')]], platform: arm64 });
    const index = await writeIndex(store, [a, b]);
    expect(await validateImage(store, index)).toEqual([]);

    await unlink(store.blobPath(b.layers[0]!.descriptor.digest));
    const problems = await validateImage(store, index);
    expect(problems).toEqual<ImageProblem[]>([
      {
        kind: 'missing-blob',
        where: `manifest ${b.descriptor.digest} layers[0]`,
        digest: b.layers[0]!.descriptor.digest,
      },
    ]);
  });

  test('an index entry whose platform disagrees with the config', async () => {
    const a = await buildTestImage(store, { layers: twoLayers, platform: amd64 });
    const index = await writeIndex(store, [{ ...a, platform: arm64 }]);
    const problems = await validateImage(store, index);
    expect(problems.map(describeProblem)).toEqual([
      `manifest ${a.descriptor.digest}: the index says linux/arm64, the config says linux/amd64`,
    ]);
  });

  test('a Docker manifest inside an OCI index', async () => {
    const a = await buildTestImage(store, { layers: twoLayers, family: 'docker' });
    const bytes = Buffer.from(
      encodeJson({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{ ...a.descriptor, platform: amd64 }],
      }),
    );
    const index = await putBlob(bytes, MediaType.ociIndex);
    const problems = await validateImage(store, index);
    expect(problems.map((p) => p.kind)).toEqual(['mixed-media-types']);
  });
});

test('encodeConfig output of a parsed config validates (sanity for the fixtures above)', async () => {
  const image = await buildTestImage(store, { layers: twoLayers });
  const desc = await storeManifest(
    image.manifest,
    JSON.parse(encodeConfig(image.config).toString()) as object,
  );
  expect(desc.digest).toBe(image.descriptor.digest);
});
