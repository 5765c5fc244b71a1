import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/oci/digest.js';
import { PlatformNotFoundError, loadImage, selectManifest } from '../../src/oci/image.js';
import { ImageDraft, writeIndex } from '../../src/oci/image-draft.js';
import { encodeIndex, describeBytes, parseImageConfig } from '../../src/oci/manifest-codec.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { Descriptor, ImageIndex, Platform } from '../../src/oci/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { ImageStore } from '../../src/store/types.js';
import { buildTestImage, file, storeLayer } from '../helpers/images.js';

let dir: string;
let store: ImageStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oci-image-'));
  store = await openStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64' };
const armv7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };

describe('loadImage', () => {
  test('a manifest: layers paired with diffIDs, platform and family from the image', async () => {
    const built = await buildTestImage(store, {
      layers: [[file('a', '1')], [file('b', '2')]],
      platform: armv7,
    });
    const image = await loadImage(store, built.descriptor);
    expect(image.layers.map((l) => l.diffId)).toEqual(image.config.rootfs.diff_ids);
    expect(image.layers.map((l) => l.descriptor.digest)).toEqual(built.manifest.layers.map((l) => l.digest));
    expect(image.platform).toEqual(armv7);
    expect(image.family).toBe('oci');
    expect(image.index).toBeUndefined();
    expect(image).toEqual(built);
  });

  async function multiArch(extra: Descriptor[] = []): Promise<{ index: Descriptor; images: Descriptor[] }> {
    const images = await Promise.all(
      [amd64, arm64, armv7].map((platform) =>
        buildTestImage(store, { layers: [[file('p', platform.architecture)]], platform }),
      ),
    );
    const index = await writeIndex(store, images);
    if (extra.length === 0) return { index, images: images.map((i) => i.descriptor) };
    const body = JSON.parse((await store.read(index.digest)).toString()) as ImageIndex;
    const bytes = encodeIndex({ ...body, manifests: [...body.manifests, ...extra] });
    await store.put(bytes);
    return { index: describeBytes(bytes, MediaType.ociIndex), images: images.map((i) => i.descriptor) };
  }

  const selections = [
    { name: 'exact match', given: arm64, want: 1 },
    {
      name: 'aliases are normalised (aarch64, x86_64)',
      given: { os: 'linux', architecture: 'aarch64' },
      want: 1,
    },
    { name: 'x86_64 means amd64', given: { os: 'linux', architecture: 'x86_64' }, want: 0 },
    { name: 'arm defaults to v7', given: { os: 'linux', architecture: 'arm' }, want: 2 },
  ];
  test.each(selections)('an index resolves to the platform: $name', async ({ given, want }) => {
    const { index, images } = await multiArch();
    const image = await loadImage(store, index, { platform: given });
    expect(image.descriptor.digest).toBe(images[want]!.digest);
    expect(image.index?.descriptor).toEqual(index);
    expect(image.index?.index.manifests.length).toBe(3);
  });

  test('a missing platform is an input error listing what the image offers', async () => {
    const { index } = await multiArch();
    const err = await loadImage(store, index, {
      platform: { os: 'linux', architecture: 's390x' },
      name: 'app:1',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformNotFoundError);
    expect((err as PlatformNotFoundError).userMessage()).toBe(
      "input 'platform': image app:1 has no linux/s390x variant (it offers: linux/amd64, linux/arm64, linux/arm/v7) — set the platform to one of: linux/amd64, linux/arm64, linux/arm/v7",
    );
    await expect(loadImage(store, index, { name: 'app:1' })).rejects.toThrow(
      /app:1 is multi-platform \(linux\/amd64/,
    );
  });

  test('attestation entries (unknown/unknown) are never chosen', async () => {
    const attestation: Descriptor = {
      mediaType: MediaType.ociManifest,
      digest: sha256('att'),
      size: 3,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    };
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [attestation, { ...attestation, platform: amd64, annotations: {} }],
    };
    expect(selectManifest(index, undefined, 'x').platform).toEqual(amd64);
    expect(() => selectManifest(index, { os: 'unknown', architecture: 'unknown' }, 'x')).toThrow(
      PlatformNotFoundError,
    );
  });

  test('content that does not match its descriptor is refused', async () => {
    const built = await buildTestImage(store, { layers: [[file('a', '1')]] });
    await expect(loadImage(store, { ...built.descriptor, size: built.descriptor.size + 1 })).rejects.toThrow(
      /content does not match its descriptor/,
    );
  });
});

describe('ImageDraft', () => {
  test('is immutable: every with… returns a new draft and leaves the old one alone', () => {
    const a = ImageDraft.scratch(amd64);
    const b = a.withConfig({ User: 'app' }).withHistory({ created_by: 'USER app' });
    expect(a.config).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(b.config).toEqual({
      architecture: 'amd64',
      os: 'linux',
      config: { User: 'app' },
      history: [{ created_by: 'USER app', empty_layer: true }],
    });
  });

  test('withConfig merges a partial object and maps with a function', () => {
    const d = ImageDraft.scratch(amd64)
      .withConfig({ Env: ['A=1'], Cmd: ['x'] })
      .withConfig({ Cmd: ['y'] })
      .withConfig((c) => ({ ...c, Env: [...(c.Env ?? []), 'B=2'] }));
    expect(d.config.config).toEqual({ Env: ['A=1', 'B=2'], Cmd: ['y'] });
  });

  test('withPlatform, withCreated, withAuthor set and clear fields', () => {
    const d = ImageDraft.scratch(armv7)
      .withCreated('2024-01-01T00:00:00Z')
      .withAuthor('me')
      .withPlatform(amd64)
      .withAuthor(undefined);
    expect(d.toConfig()).toEqual({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      rootfs: { type: 'layers', diff_ids: [] },
    });
  });

  test('write stores config and manifest; the image loads back identically', async () => {
    const layer = await storeLayer(store, [file('hello', 'world')]);
    const image = await ImageDraft.scratch(amd64)
      .withLayer(layer, { created_by: 'COPY hello /', empty_layer: true })
      .withAnnotations({ 'org.opencontainers.image.source': 'https://example.com' })
      .write(store);
    expect(image.config.history).toEqual([{ created_by: 'COPY hello /' }]);
    expect(image.manifest.annotations).toEqual({ 'org.opencontainers.image.source': 'https://example.com' });
    expect(await loadImage(store, image.descriptor)).toEqual(image);
    expect(parseImageConfig(await store.read(image.manifest.config.digest))).toEqual(image.config);
  });

  test('FROM a base image: base layers and history kept, new layer appended', async () => {
    const base = await buildTestImage(store, { layers: [[file('base', '1')]] });
    const layer = await storeLayer(store, [file('app', '2')]);
    const image = await ImageDraft.from(base).withLayer(layer, { created_by: 'RUN make' }).write(store);
    expect(image.layers.map((l) => l.diffId)).toEqual([base.layers[0]!.diffId, layer.diffId]);
    expect(image.config.history?.map((h) => h.created_by)).toEqual(['layer 0', 'CMD ["sh"]', 'RUN make']);
    expect(image.config.config).toEqual(base.config.config);
  });

  const conversions = [
    {
      name: 'Docker base layers become OCI types in an OCI image',
      given: { base: 'docker', target: 'oci' },
      want: { manifest: MediaType.ociManifest, config: MediaType.ociConfig, layer: MediaType.ociLayerGzip },
    },
    {
      name: 'OCI base layers become Docker types in a Docker image (annotations dropped)',
      given: { base: 'oci', target: 'docker' },
      want: {
        manifest: MediaType.dockerManifest,
        config: MediaType.dockerConfig,
        layer: MediaType.dockerLayerGzip,
      },
    },
  ] as const;
  test.each(conversions)('$name', async ({ given, want }) => {
    const base = await buildTestImage(store, { layers: [[file('base', '1')]], family: given.base });
    const withAnnotation = {
      ...base,
      layers: base.layers.map((l) => ({ ...l, descriptor: { ...l.descriptor, annotations: { a: 'b' } } })),
    };
    const image = await ImageDraft.from(withAnnotation, given.target).write(store);
    expect(image.family).toBe(given.target);
    expect(image.manifest.mediaType).toBe(want.manifest);
    expect(image.manifest.config.mediaType).toBe(want.config);
    expect(image.manifest.layers[0]!.mediaType).toBe(want.layer);
    expect(image.manifest.layers[0]!.digest).toBe(base.layers[0]!.descriptor.digest);
    expect(image.manifest.layers[0]!.annotations).toEqual(given.target === 'docker' ? undefined : { a: 'b' });
  });

  test('zstd layers cannot go into a Docker image', async () => {
    const layer = await storeLayer(store, [file('z', '1')], 'zstd');
    await expect(ImageDraft.scratch(amd64, 'docker').withLayer(layer, {}).write(store)).rejects.toThrow(
      /has no Docker schema 2 media type/,
    );
  });

  test('writeIndex: one entry per image with its platform; Docker images get a manifest list', async () => {
    const a = await buildTestImage(store, { layers: [[file('a', '1')]], platform: amd64, family: 'docker' });
    const b = await buildTestImage(store, { layers: [[file('a', '2')]], platform: armv7, family: 'docker' });
    const index = await writeIndex(store, [a, b]);
    expect(index.mediaType).toBe(MediaType.dockerManifestList);
    const body = JSON.parse((await store.read(index.digest)).toString()) as ImageIndex;
    expect(body.manifests.map((m) => m.platform)).toEqual([amd64, armv7]);
    const oci = await buildTestImage(store, { layers: [[file('a', '3')]] });
    await expect(writeIndex(store, [a, oci])).rejects.toThrow(
      /cannot index OCI and Docker manifests together/,
    );
  });
});
