import { execFileSync } from 'node:child_process';
import { pushImage } from '../../src/push/index.js';
import { readyToShip } from '../../src/build/ship-ready.js';
import type { CacheOptions } from '../../src/cache/index.js';
import { silentLogger } from '../../src/log.js';
import { RegistryClient } from '../../src/registry/client.js';
import { parseReference } from '../../src/registry/reference.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { CacheBench, built, type CacheRun } from './cache-helpers.js';

const df = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo one > /one',
  'COPY app.txt /app/',
  'RUN --mount=type=cache,target=/var/cache/app sh -c "echo run >> /var/cache/app/log && wc -l < /var/cache/app/log > /app/count"',
].join('\n');

let reg: TestRegistry;
let client: RegistryClient;
let bench: CacheBench;

beforeAll(async () => {
  reg = await startRegistry({ auth: 'none' });
  client = new RegistryClient({ registry: reg.host, logger: silentLogger });
});
afterAll(async () => {
  client.close();
  await reg.stop();
});
beforeEach(() => {
  bench = new CacheBench();
  bench.write('app.txt', 'v1\n');
});
afterEach(() => bench.cleanup());

function registryBackend(repository: string, over: Partial<CacheOptions> = {}) {
  return { backend: { kind: 'registry' as const, client, repository, mountFrom: ['team/app'] }, ...over };
}

async function push(r: CacheRun, target: string): Promise<void> {
  await pushImage({
    client,
    store: r.t.host.store,
    source: r.result.image.descriptor,
    targets: [parseReference(`${reg.host}/${target}`)],
    logger: silentLogger,
  });
}

function skopeoRaw(ref: string): { artifactType: string; layers: { mediaType: string; digest: string }[] } {
  const out = execFileSync(
    'skopeo',
    ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/${ref}`],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as never;
}

describe('registry backend against a real registry', () => {
  it('mounts layers the image repository has, then serves a fresh machine without uploads or downloads', async () => {
    // main: build and push the image; post: save the cache (its layers are in team/app by then)
    const t = await bench.machine();
    const cache = await bench.open(t, registryBackend('team/cache-a'));
    const result = await bench.build(t, df, cache);
    await push({ result, t, cache, report: cache.report() }, 'team/app:v1');
    const first = await cache.save();
    expect(first.mounted.entries).toBe(4);
    expect(first.saved.keys.filter((k) => k.startsWith('sha256:'))).toHaveLength(2); // mount snapshot + index
    expect(first.saved.keys.at(-1)).toMatch(
      new RegExp(`^${reg.host}/team/cache-a:image-build-cache-[0-9a-f]{16}$`),
    );
    // an independent reader (skopeo) sees an OCI artifact holding every layer and the mount snapshot
    const tag = first.saved.keys.at(-1)!.split(':').at(-1)!;
    const m = skopeoRaw(`team/cache-a:${tag}`);
    expect(m.artifactType).toBe('application/vnd.image-build.cache.v1');
    expect(m.layers.map((l) => l.digest)).toEqual(
      expect.arrayContaining(result.image.manifest.layers.map((l) => l.digest)),
    );
    expect(m.layers.filter((l) => l.mediaType.includes('cache.mount'))).toHaveLength(1);

    const second = await bench.ciRun(df, registryBackend('team/cache-a'));
    expect(built(second.result)).toEqual([]);
    expect(second.report.restored.entries).toBe(1); // the index
    expect(second.report.saved.entries + second.report.mounted.entries).toBe(0);

    // lazy restore and push: the image repository has every layer, so nothing is downloaded for it;
    // another repository gets them from the cache
    const layers = second.result.image.manifest.layers;
    const store = second.t.host.store;
    const toApp = await readyToShip(
      second.result,
      store,
      { export: false, pushTo: [{ client, repository: 'team/app' }] },
      silentLogger,
    );
    expect(toApp).toEqual({ fetched: 0, undeliverable: [] });
    for (const l of layers) expect(await store.has(l.digest)).toBe(false);
    const toOther = await readyToShip(
      second.result,
      store,
      { export: false, pushTo: [{ client, repository: 'team/other' }] },
      silentLogger,
    );
    expect(toOther).toEqual({ fetched: layers.length, undeliverable: [] });
    await push(second, 'team/other:v1');
    // a layer nobody has is an error, not invented
    const ghost = { ...layers[0]!, digest: `sha256:${'0'.repeat(64)}` as const };
    const withGhost = {
      ...second.result,
      image: { ...second.result.image, manifest: { ...second.result.image.manifest, layers: [ghost] } },
    };
    await expect(readyToShip(withGhost, store, { export: true, pushTo: [] }, silentLogger)).rejects.toThrow(
      /neither stored nor known/,
    );
  });

  it('after a change, fetches only what the rebuilt steps need, uploads only the new layers, keeps the mount', async () => {
    await bench.ciRun(df, registryBackend('team/cache-b'));
    bench.write('app.txt', 'v2\n');
    const r = await bench.ciRun(df, registryBackend('team/cache-b'));
    expect(built(r.result)).toEqual([
      'COPY app.txt /app/',
      'RUN --mount=type=cache,target=/var/cache/app sh -c "echo run >> /var/cache/app/log && wc -l < /var/cache/app/log > /app/count"',
    ]);
    const blob = r.t.host.store.blobPath(r.result.image.manifest.layers.at(-1)!.digest);
    expect(execFileSync('tar', ['-xzOf', blob, 'app/count'], { encoding: 'utf8' }).trim()).toBe('2');
    const newLayers = r.result.steps.filter((s) => s.status === 'built').map((s) => s.layer!.digest);
    const uploaded = r.report.saved.keys.filter((k) => k.startsWith('sha256:'));
    expect(uploaded).toEqual(expect.arrayContaining(newLayers));
    expect(uploaded).toHaveLength(newLayers.length + 2); // + the new mount snapshot + the index
    expect(r.report.restored.entries).toBe(1 + 2 + 1); // index, the two layers under the COPY, the mount
  });

  it('prunes least recently used layers from the artifact to stay within the budget', async () => {
    const first = await bench.ciRun(df, registryBackend('team/cache-c'));
    const budgetBytes = first.report.sizeBytes + 2000;
    for (let i = 2; i <= 5; i++) {
      bench.write('app.txt', `v${i}\n`);
      const r = await bench.ciRun(df, registryBackend('team/cache-c', { budgetBytes }));
      expect(r.report.sizeBytes).toBeLessThanOrEqual(budgetBytes);
    }
    const tag = first.report.saved.keys.at(-1)!.split(':').at(-1)!;
    const m = skopeoRaw(`team/cache-c:${tag}`);
    const layerBytes = m.layers
      .filter((l) => !l.mediaType.includes('cache.mount'))
      .reduce((n, l) => n + (l as unknown as { size: number }).size, 0);
    expect(layerBytes).toBeLessThanOrEqual(budgetBytes);
  });
});

describe('registry cache in the image repository (cache-ref app:buildcache)', () => {
  it('tags the cache <tag>-<scope> next to the image; its layers are already there, nothing is uploaded twice', async () => {
    const t = await bench.machine();
    const backend = { kind: 'registry' as const, client, repository: 'team/same', tagPrefix: 'buildcache' };
    const cache = await bench.open(t, { backend });
    const result = await bench.build(t, df, cache);
    await push({ result, t, cache, report: cache.report() }, 'team/same:v1');
    const report = await cache.save();
    const tag = report.saved.keys.at(-1)!;
    expect(tag).toMatch(new RegExp(`^${reg.host}/team/same:buildcache-[0-9a-f]{16}$`));
    // only the index (config) and the mount snapshot were new to the repository
    expect(report.saved.keys.filter((k) => k.startsWith('sha256:'))).toHaveLength(2);
    expect(report.mounted.entries).toBe(0);
    const next = await bench.ciRun(df, { backend });
    expect(next.report.index).toMatchObject({ kind: 'restored', key: tag });
    expect(built(next.result)).toEqual([]);
  });
});

describe('registry backend without write access', () => {
  let authReg: TestRegistry;
  beforeAll(async () => {
    authReg = await startRegistry({ auth: 'htpasswd' });
  });
  afterAll(() => authReg.stop());

  it('a refused write makes the run read-only with a warning; the build succeeds', async () => {
    const anonymous = new RegistryClient({ registry: authReg.host, logger: silentLogger });
    try {
      const r = await bench.ciRun(df, {
        backend: { kind: 'registry', client: anonymous, repository: 'team/cache' },
      });
      expect(built(r.result)).toHaveLength(4);
      expect(r.report.access.kind).toBe('read-only');
      expect(r.report.warnings.join('\n')).toMatch(/restore only from now on — .* refused a write \(401\)/);
    } finally {
      anonymous.close();
    }
  });
});
