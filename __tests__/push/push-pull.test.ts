import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError, RegistryError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { PlatformNotFoundError } from '../../src/oci/image.js';
import { sha256 } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { Descriptor } from '../../src/oci/types.js';
import { pushImage, type PushProgress } from '../../src/push/index.js';
import { RegistryClient } from '../../src/registry/client.js';
import { pullImage } from '../../src/registry/pull.js';
import { parseReference } from '../../src/registry/reference.js';
import { openStore } from '../../src/store/index.js';
import type { ImageStore } from '../../src/store/types.js';
import {
  isBlobGet,
  isBlobHead,
  startFaultProxy,
  type FaultProxy,
  type ProxyLogEntry,
} from '../helpers/registry-fault-proxy.js';
import {
  makeTestImage,
  makeTestIndex,
  storeTestImage,
  storeTestIndex,
  type TestImage,
} from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const run = promisify(execFile);

let reg: TestRegistry;
let proxy: FaultProxy;
let dir: string;
let store: ImageStore;
let client: RegistryClient;
let logger: MemoryLogger;
let storeCount = 0;
const image = makeTestImage({ layerSizes: [50_000, 120_000, 7_000] });
let source: Descriptor;

beforeAll(async () => {
  reg = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({ target: reg.url });
  dir = await mkdtemp(join(tmpdir(), 'ib-push-'));
  store = await freshStore();
  source = await storeTestImage(store, image, 'app:1');
});
afterAll(async () => {
  await proxy.stop();
  await reg.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.clearRules();
  logger = new MemoryLogger();
  client = new RegistryClient({ registry: proxy.host, logger, sleep: async () => undefined });
});
afterEach(() => client.close());

function freshStore(): Promise<ImageStore> {
  return openStore(join(dir, `store-${storeCount++}`));
}

const ref = (s: string) => parseReference(`${proxy.host}/${s}`);
const since = (n: number): ProxyLogEntry[] => proxy.log.slice(n).filter((e) => e.side === 'main');

async function skopeo(...args: string[]): Promise<string> {
  return (await run('skopeo', args, { maxBuffer: 64 << 20 })).stdout;
}

async function push(targets: string[], src: Descriptor = source, onProgress?: (e: PushProgress) => void) {
  return pushImage({
    client,
    store,
    source: src,
    targets: targets.map(ref),
    logger,
    ...(onProgress ? { onProgress } : {}),
  });
}

describe('pushImage to a real registry', () => {
  test('pushes every blob once, then the manifest, then each tag', async () => {
    const events: PushProgress[] = [];
    const before = proxy.log.length;
    const result = await push(['team/app:v1', 'team/app:latest'], source, (e) => events.push(e));
    expect(result.digest).toBe(image.descriptor.digest);
    expect(result.targets.map((t) => t.outcome)).toEqual(['pushed', 'pushed']);
    expect(result.blobs.uploaded).toEqual({
      count: 4,
      bytes: image.layers.reduce((n, l) => n + l.blob.length, 0) + image.config.length,
    });
    const log = since(before);
    const blobPuts = log.filter((e) => e.method === 'PUT' && e.path.includes('/blobs/'));
    const manifestPuts = log.filter((e) => e.method === 'PUT' && e.path.includes('/manifests/'));
    expect(blobPuts).toHaveLength(4);
    expect(manifestPuts.map((e) => e.path.replace(/.*\/manifests\//, ''))).toEqual(['v1', 'latest']);
    expect(log.indexOf(manifestPuts[0]!)).toBeGreaterThan(log.indexOf(blobPuts.at(-1)!));
    expect(events.filter((e) => e.kind === 'blob').map((e) => e.kind === 'blob' && e.outcome)).toEqual(
      Array(4).fill('uploaded'),
    );
    expect(events.filter((e) => e.kind === 'tag')).toHaveLength(2);
  });

  test('skopeo inspects and copies what we pushed', async () => {
    const name = `docker://${proxy.host}/team/app:v1`;
    const inspect = JSON.parse(await skopeo('inspect', '--tls-verify=false', name)) as {
      Digest: string;
      Layers: string[];
    };
    expect(inspect.Digest).toBe(image.descriptor.digest);
    expect(inspect.Layers).toEqual(image.layers.map((l) => l.descriptor.digest));
    expect(await skopeo('inspect', '--raw', '--tls-verify=false', name)).toBe(image.manifest.toString());
    const layout = join(dir, 'skopeo-copy');
    await skopeo('copy', '--src-tls-verify=false', name, `oci:${layout}:v1`);
    for (const blob of [image.manifest, image.config, ...image.layers.map((l) => l.blob)]) {
      expect((await readFile(join(layout, 'blobs', 'sha256', sha256(blob).slice(7)))).equals(blob)).toBe(
        true,
      );
    }
  });

  test('pull round trip into a fresh store is byte-identical', async () => {
    const target = await freshStore();
    const result = await pullImage(client, ref('team/app:v1'), { store: target, logger });
    expect(result.manifest.digest).toBe(image.descriptor.digest);
    expect(result.fetched.blobs).toBe(4);
    for (const d of [image.descriptor, image.configDescriptor, ...image.layers.map((l) => l.descriptor)]) {
      expect((await target.read(d.digest)).equals(await store.read(d.digest))).toBe(true);
    }
    expect((await target.resolve(`${proxy.host}/team/app:v1`))?.digest).toBe(image.descriptor.digest);
    const before = proxy.log.length;
    const again = await pullImage(client, ref(`team/app@${image.descriptor.digest}`), {
      store: target,
      logger,
    });
    expect(again.reused.blobs).toBe(4);
    expect(since(before)).toEqual([]);
  });

  test('re-push of an unchanged image: HEADs only, nothing uploaded, tags left alone', async () => {
    const before = proxy.log.length;
    const result = await push(['team/app:v1', 'team/app:latest']);
    expect(result.targets.map((t) => t.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(result.blobs.exists.count).toBe(4);
    expect(result.blobs.uploaded.count + result.blobs.mounted.count).toBe(0);
    expect(new Set(since(before).map((e) => e.method))).toEqual(new Set(['HEAD', 'GET']));
    expect(
      since(before)
        .filter((e) => e.method === 'GET')
        .map((e) => e.path),
    ).toEqual(['/v2/']);
  });

  test('a second repository on the same registry mounts every blob (201)', async () => {
    const before = proxy.log.length;
    const result = await push(['team/first:v1', 'other/second:v1']);
    expect(
      result.targets.map((t) => [t.reference.repository, t.blobs.uploaded.count, t.blobs.mounted.count]),
    ).toEqual([
      ['team/first', 4, 0],
      ['other/second', 0, 4],
    ]);
    const mounts = since(before).filter((e) => e.method === 'POST' && e.path.includes('mount='));
    expect(mounts.filter((e) => e.path.startsWith('/v2/other/second/')).map((e) => e.status)).toEqual([
      201, 201, 201, 201,
    ]);
    expect(
      since(before).filter((e) => e.method === 'PUT' && e.path.startsWith('/v2/other/second/blobs/')),
    ).toEqual([]);
  });

  test('mountFrom hints let a new repository mount from an existing one', async () => {
    const result = await pushImage({
      client,
      store,
      source,
      targets: [ref('fresh/repo:v1')],
      logger,
      mountFrom: ['team/app'],
    });
    expect(result.blobs.mounted.count).toBe(4);
    expect(
      await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${proxy.host}/fresh/repo:v1`),
    ).toBe(image.manifest.toString());
  });

  test('a Docker schema 2 image keeps its media types', async () => {
    const docker = makeTestImage({ layerSizes: [900], family: 'docker' });
    const src = await storeTestImage(store, docker);
    await push(['team/docker:v1'], src);
    const inspect = JSON.parse(
      await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${proxy.host}/team/docker:v1`),
    ) as { mediaType: string };
    expect(inspect.mediaType).toBe(MediaType.dockerManifest);
  });

  test.each([
    { name: 'default concurrency is 5', given: undefined, want: 5 },
    { name: 'concurrency 2', given: 2, want: 2 },
  ])('blobs go in parallel: $name', async ({ given, want }) => {
    const many = makeTestImage({ layerSizes: [100, 200, 300, 400, 500, 600, 700] });
    const src = await storeTestImage(store, many);
    proxy.addRule({ match: isBlobHead, fault: { kind: 'delay', ms: 100 } });
    proxy.resetPeak();
    await pushImage({
      client,
      store,
      source: src,
      targets: [ref(`team/parallel${want}:v1`)],
      logger,
      ...(given ? { concurrency: given } : {}),
    });
    expect(proxy.peakInFlight()).toBe(want);
  });

  test('a failed blob upload leaves no tag behind', async () => {
    const fresh = makeTestImage({ layerSizes: [2000, 3000] });
    const src = await storeTestImage(store, fresh);
    proxy.addRule({
      match: (r) =>
        r.method === 'PUT' &&
        r.path.includes('/blobs/') &&
        r.path.includes(fresh.layers[1]!.descriptor.digest.slice(7)),
      fault: {
        kind: 'status',
        status: 400,
        body: '{"errors":[{"code":"DIGEST_INVALID","message":"digest invalid"}]}',
      },
    });
    const before = proxy.log.length;
    const err = await push(['team/broken:v1'], src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).userMessage()).toMatch(
      /push to .*\/team\/broken failed: digest mismatch sha256:[0-9a-f]{64} \(400 DIGEST_INVALID\)/,
    );
    expect(since(before).filter((e) => e.path.includes('/manifests/') && e.method === 'PUT')).toEqual([]);
    proxy.clearRules();
    expect(await client.headManifest('team/broken', 'v1')).toBeUndefined();
  });

  test('targets on another registry, or naming another digest, are refused', async () => {
    await expect(
      pushImage({ client, store, source, targets: [parseReference('ghcr.io/a/b:1')], logger }),
    ).rejects.toThrow(InputError);
    const wrong = ref(`team/app@${image.configDescriptor.digest}`);
    await expect(pushImage({ client, store, source, targets: [wrong], logger })).rejects.toThrow(
      /names digest sha256:/,
    );
  });
});

describe('multi-platform index', () => {
  let amd64: TestImage;
  let arm64: TestImage;
  let index: Descriptor;

  beforeAll(async () => {
    amd64 = makeTestImage({ layerSizes: [3000], platform: { os: 'linux', architecture: 'amd64' } });
    arm64 = makeTestImage({
      layerSizes: [4000],
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    index = await storeTestIndex(store, makeTestIndex([amd64, arm64]));
  });

  test('children by digest before the index tag; pull selects the platform', async () => {
    const before = proxy.log.length;
    await push(['multi/app:v1'], index);
    const puts = since(before).filter((e) => e.method === 'PUT' && e.path.includes('/manifests/'));
    expect(puts.map((e) => e.path.replace(/.*\/manifests\//, ''))).toEqual([
      amd64.descriptor.digest,
      arm64.descriptor.digest,
      'v1',
    ]);
    const target = await freshStore();
    const pulled = await pullImage(client, ref('multi/app:v1'), {
      store: target,
      logger,
      platform: { os: 'linux', architecture: 'arm64' },
    });
    expect(pulled.resolved.digest).toBe(index.digest);
    expect(pulled.manifest.digest).toBe(arm64.descriptor.digest);
    expect(pulled.layers.map((l) => l.digest)).toEqual(arm64.layers.map((l) => l.descriptor.digest));
    expect(await target.has(amd64.layers[0]!.descriptor.digest)).toBe(false);
    expect((await target.resolve(`${proxy.host}/multi/app:v1`))?.digest).toBe(arm64.descriptor.digest);
  });

  test('a platform the index lacks is a clear error listing what it offers', async () => {
    const err = await pullImage(client, ref('multi/app:v1'), {
      store: await freshStore(),
      logger,
      platform: { os: 'linux', architecture: 's390x' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformNotFoundError);
    expect((err as PlatformNotFoundError).userMessage()).toMatch(
      /has no linux\/s390x variant \(it offers: linux\/amd64, linux\/arm64\)/,
    );
  });
});

describe('pull through faults', () => {
  test('a corrupted blob stores nothing and tags nothing', async () => {
    const target = await freshStore();
    proxy.addRule({
      match: (r) => isBlobGet(r) && r.path.endsWith(image.layers[1]!.descriptor.digest),
      fault: { kind: 'corrupt-body' },
    });
    const err = await pullImage(client, ref('team/app:v1'), { store: target, logger, concurrency: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).userMessage()).toMatch(
      /blob sha256:[0-9a-f]{64} arrived as content with digest/,
    );
    expect(await target.has(image.layers[1]!.descriptor.digest)).toBe(false);
    expect(await target.listRefs()).toEqual([]);
  });

  test('a connection cut mid-download is retried', async () => {
    const target = await freshStore();
    proxy.addRule({ match: isBlobGet, fault: { kind: 'reset-mid-body' }, times: 1 });
    const result = await pullImage(client, ref('team/app:v1'), { store: target, logger });
    expect(result.fetched.blobs).toBe(4);
    expect(logger.text('debug')).toMatch(/retrying download of blob sha256:[0-9a-f]{64} after/);
  });
});
