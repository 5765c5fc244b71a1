import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/oci/digest.js';
import { encodeConfig, encodeManifest, describeBytes } from '../../src/oci/manifest-codec.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { Descriptor, ImageManifest } from '../../src/oci/types.js';
import { BlobNotFoundError } from '../../src/store/blob-errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { ImageStore } from '../../src/store/types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-layout-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  test('creates an OCI image layout', async () => {
    const store = await openStore(join(dir, 'new', 'store'));
    expect(store.root).toBe(join(dir, 'new', 'store'));
    expect(await readFile(join(store.root, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
    expect(JSON.parse(await readFile(join(store.root, 'index.json'), 'utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
    });
    expect((await readdir(join(store.root, 'blobs'))).sort()).toEqual(['sha256']);
  });

  test('reopening keeps the content; concurrent opens of a new directory agree', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(dir)));
    await stores[0]!.put('x');
    const again = await openStore(dir);
    expect(await again.read(sha256('x'))).toEqual(Buffer.from('x'));
  });

  const refusals = [
    {
      name: 'a non-empty directory that is not a layout',
      given: { 'notes.txt': 'hello' },
      want: /is not an OCI image layout and is not empty \(it holds notes.txt\)/,
    },
    {
      name: 'an unknown layout version',
      given: { 'oci-layout': '{"imageLayoutVersion":"2.0.0"}' },
      want: /unsupported/,
    },
    {
      name: 'a corrupt oci-layout file',
      given: { 'oci-layout': 'nope' },
      want: /unsupported content "nope"/,
    },
  ];
  test.each(refusals)('refuses $name', async ({ given, want }) => {
    for (const [name, content] of Object.entries(given)) await writeFile(join(dir, name), content);
    await expect(openStore(dir)).rejects.toThrow(want);
  });

  test('a corrupt index.json is reported with the file to fix', async () => {
    const store = await openStore(dir);
    await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[{"digest":"sha256:zz"}]}');
    await expect(store.listRefs()).rejects.toThrow(
      /the image store's index is corrupt: .*index.json manifests\[0\]: has no mediaType/,
    );
  });
});

async function putManifest(store: ImageStore, layers: string[], tag?: string): Promise<Descriptor> {
  const layerDescs = await Promise.all(
    layers.map(async (l) => ({ mediaType: MediaType.ociLayer, ...(await store.put(l)) })),
  );
  const config = encodeConfig({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layerDescs.map((l) => l.digest) },
  });
  const configDesc = { mediaType: MediaType.ociConfig, ...(await store.put(config)) };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDesc,
    layers: layerDescs,
  };
  const bytes = encodeManifest(manifest);
  await store.put(bytes);
  const desc = describeBytes(bytes, MediaType.ociManifest);
  if (tag) await store.tag(tag, desc);
  return desc;
}

describe('refs', () => {
  test('tag, resolve, list, retag, untag', async () => {
    const store = await openStore(dir);
    const a = await putManifest(store, ['a']);
    const b = await putManifest(store, ['b']);
    await store.tag('app:1', a);
    await store.tag('ghcr.io/owner/app:2', a);
    expect(await store.resolve('app:1')).toMatchObject(a);
    expect((await store.listRefs()).map((r) => r.name)).toEqual(['app:1', 'ghcr.io/owner/app:2']);
    await store.tag('app:1', b);
    expect((await store.resolve('app:1'))?.digest).toBe(b.digest);
    expect((await store.listRefs()).length).toBe(2);
    await store.untag('app:1');
    expect(await store.resolve('app:1')).toBeUndefined();
    expect((await store.listRefs()).map((r) => r.name)).toEqual(['ghcr.io/owner/app:2']);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    expect(index.manifests[0]!.annotations).toEqual({
      'org.opencontainers.image.ref.name': 'ghcr.io/owner/app:2',
    });
  });

  const names = [
    { name: 'plain tag', given: 'latest', want: true },
    { name: 'tag with underscore (Docker allows it)', given: 'v1_rc', want: true },
    { name: 'full reference with port and digest', given: 'localhost:5000/a/b:1@sha256:abc', want: true },
    { name: 'double dash separator', given: 'a--b', want: true },
    { name: 'empty', given: '', want: false },
    { name: 'space', given: 'a b', want: false },
    { name: 'leading separator', given: '-a', want: false },
    { name: 'trailing slash', given: 'a/', want: false },
    { name: 'newline', given: 'a\nb', want: false },
  ];
  test.each(names)('ref name: $name', async ({ given, want }) => {
    const store = await openStore(dir);
    const a = await putManifest(store, ['a']);
    if (want) await expect(store.tag(given, a)).resolves.toBeUndefined();
    else await expect(store.tag(given, a)).rejects.toThrow(/invalid image name/);
  });

  test('tagging a manifest that is not stored is refused', async () => {
    const store = await openStore(dir);
    const ghost = describeBytes(Buffer.from('{}'), MediaType.ociManifest);
    await expect(store.tag('x', ghost)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});

describe('gc', () => {
  test('removes unreachable blobs, keeps everything reachable from index.json and from keep', async () => {
    const store = await openStore(dir);
    await putManifest(store, ['shared', 'one'], 'app:1');
    const two = await putManifest(store, ['shared', 'two']);
    await store.put('loose');
    const keepMe = await store.put('kept');
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [{ ...two, platform: { os: 'linux', architecture: 'arm64' } }],
    };
    const indexBytes = Buffer.from(JSON.stringify(index));
    await store.put(indexBytes);
    await store.tag('multi', describeBytes(indexBytes, MediaType.ociIndex));
    const before = await readdir(join(dir, 'blobs', 'sha256'));

    const result = await store.gc([keepMe.digest], { graceMs: 0 });
    expect(result).toEqual({ removed: 1, bytes: 5, tempFiles: 0 });
    const after = await readdir(join(dir, 'blobs', 'sha256'));
    expect(before.filter((h) => !after.includes(h))).toEqual([sha256('loose').slice(7)]);

    await store.untag('multi');
    const second = await store.gc([], { graceMs: 0 });
    // index, manifest two, its config, layer "two" and "kept" go; "shared" stays (app:1 uses it)
    expect(second.removed).toBe(5);
    expect(await store.has(sha256('shared'))).toBe(true);
    expect(await store.has(sha256('two'))).toBe(false);
  });

  test('keeps unreachable blobs younger than the grace period', async () => {
    const store = await openStore(dir);
    await store.put('young');
    expect(await store.gc([], { graceMs: 60_000 })).toEqual({ removed: 0, bytes: 0, tempFiles: 0 });
    expect(await store.has(sha256('young'))).toBe(true);
  });

  test('stops without deleting anything when a reachable manifest cannot be parsed', async () => {
    const store = await openStore(dir);
    const bad = await store.put('{"schemaVersion":1}');
    await store.put('loose');
    await store.tag('broken', { mediaType: MediaType.ociManifest, ...bad });
    await expect(store.gc([], { graceMs: 0 })).rejects.toThrow(
      /garbage collection stopped: cannot read manifest/,
    );
    expect(await store.has(sha256('loose'))).toBe(true);
  });

  test('removes stale temp files: a dead writer at once, an unknown host only when old', async () => {
    const store = await openStore(dir);
    const ingest = join(dir, '.ingest');
    await mkdir(ingest, { recursive: true });
    const { hostname } = await import('node:os');
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '-');
    await writeFile(join(ingest, `tmp_${host}_999999999_ab12.blob`), 'dead writer');
    await writeFile(join(ingest, `tmp_${host}_${process.pid}_cd34.blob`), 'live writer');
    await writeFile(join(ingest, 'tmp_other-host_1_ef56.blob'), 'unknown writer');
    const live = await store.ingest();
    expect((await store.gc([], { graceMs: 0 })).tempFiles).toBe(1);
    expect((await readdir(ingest)).sort()).toEqual(
      [
        `tmp_${host}_${process.pid}_cd34.blob`,
        'tmp_other-host_1_ef56.blob',
        live.path.split('/').pop(),
      ].sort(),
    );
    const later = await openStore(dir, { clock: { now: () => new Date(Date.now() + 25 * 3600_000) } });
    expect((await later.gc([], { graceMs: 0 })).tempFiles).toBe(3);
  });
});
