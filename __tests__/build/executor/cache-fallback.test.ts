import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../../../src/build/executor.js';
import type { CachedStep, LayerCache } from '../../../src/build/layer-cache.js';
import { StepCache } from '../../../src/build/step-cache.js';
import type { BuildRequest, BuildResult } from '../../../src/build/types.js';
import { CacheError } from '../../../src/errors.js';
import type { Digest } from '../../../src/oci/digest.js';
import type { BlobStore } from '../../../src/store/types.js';
import type { KeyInputs } from '../../../src/plan/cache-key.js';
import { silentLogger } from '../../../src/log.js';
import { pushImage } from '../../../src/push/index.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { parseReference } from '../../../src/registry/reference.js';
import { writeBusyboxRootfs } from '../../helpers/busybox-rootfs.js';
import { startRegistry } from '../../helpers/registry.js';
import { makeBuildHost, type TestBuildHost } from '../../helpers/build-host.js';
import { buildRequest } from '../../helpers/build-request.js';

/**
 * A LayerCache backed by another machine's work root and store (what a restored cross-run cache looks like to the
 * builder), with switches to make a layer undeliverable.
 */
class OtherMachineCache implements LayerCache {
  readonly fetched: Digest[] = [];
  readonly recorded: CachedStep[] = [];
  constructor(
    private readonly steps: StepCache,
    private readonly blobs: BlobStore,
    private readonly broken: Set<Digest>,
  ) {}
  lookup(key: Digest): Promise<CachedStep | undefined> {
    return this.steps.get(key);
  }
  previousInputs(slot: string): Promise<KeyInputs | undefined> {
    return this.steps.previousInputs(slot);
  }
  async fetchLayer(step: CachedStep, into: BlobStore): Promise<void> {
    const d = step.layer.descriptor.digest;
    this.fetched.push(d);
    if (this.broken.has(d)) throw new CacheError(`pack holding ${d} is truncated`);
    await into.putStream(this.blobs.open(d), { digest: d, size: step.layer.descriptor.size });
  }
  record(step: CachedStep): void {
    this.recorded.push(step);
  }
}

let ctxDir: string;
let first: TestBuildHost;
const df = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo one > /one',
  'RUN cat /one > /two',
  'COPY app.txt /app/',
].join('\n');

async function build(t: TestBuildHost, over: Partial<BuildRequest> = {}): Promise<BuildResult> {
  return buildImage(await buildRequest(ctxDir, df, { sourceDateEpoch: 1_700_000_000, ...over }), t.host);
}

beforeAll(async () => {
  ctxDir = mkdtempSync(join(tmpdir(), 'ib-ctx-'));
  writeBusyboxRootfs(join(ctxDir, 'rootfs'));
  writeFileSync(join(ctxDir, 'app.txt'), 'v1\n');
  first = await makeBuildHost();
  await build(first);
});
afterAll(() => {
  first.cleanup();
  rmSync(ctxDir, { recursive: true, force: true });
});

describe('builder with a cross-run layer cache', () => {
  it('a fully cached build on a fresh machine downloads no layer at all (lazy restore)', async () => {
    const cache = new OtherMachineCache(new StepCache(first.host.workRoot), first.host.store, new Set());
    const t = await makeBuildHost();
    try {
      const r = await build({ ...t, host: { ...t.host, cache } });
      expect(r.steps.filter((s) => s.status === 'built')).toEqual([]);
      expect(r.steps.filter((s) => s.layer).every((s) => s.layer!.cacheSource === 'cache')).toBe(true);
      expect(cache.fetched).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  it('push of a lazily restored image: nothing fetched for a registry that has the layers, only what a fresh one needs', async () => {
    const reg = await startRegistry({ auth: 'none' });
    const t = await makeBuildHost();
    try {
      const firstImage = await build(first);
      const client = new RegistryClient({ registry: reg.host, logger: silentLogger });
      await pushImage({
        client,
        store: first.host.store,
        source: firstImage.image.descriptor,
        targets: [parseReference(`${reg.host}/app/main:v1`)],
        logger: silentLogger,
      });
      const cache = new OtherMachineCache(new StepCache(first.host.workRoot), first.host.store, new Set());
      const r = await build({ ...t, host: { ...t.host, cache } });
      expect(r.image.descriptor.digest).toBe(firstImage.image.descriptor.digest);
      const again = await pushImage({
        client,
        store: t.host.store,
        source: r.image.descriptor,
        targets: [parseReference(`${reg.host}/app/main:v2`)],
        logger: silentLogger,
        fetchMissing: r.fetchMissing,
      });
      expect(cache.fetched).toEqual([]);
      expect(again.blobs.uploaded.count).toBe(0);
      const other = await pushImage({
        client,
        store: t.host.store,
        source: r.image.descriptor,
        targets: [parseReference(`${reg.host}/other/repo:v1`)],
        logger: silentLogger,
        fetchMissing: r.fetchMissing,
        mountFrom: ['app/main'],
      });
      expect(cache.fetched).toEqual([]);
      expect(other.blobs.mounted.count).toBe(r.image.manifest.layers.length + 1); // and the config
      const fresh = await startRegistry({ auth: 'none' });
      try {
        const freshClient = new RegistryClient({ registry: fresh.host, logger: silentLogger });
        await pushImage({
          client: freshClient,
          store: t.host.store,
          source: r.image.descriptor,
          targets: [parseReference(`${fresh.host}/app/main:v1`)],
          logger: silentLogger,
          fetchMissing: r.fetchMissing,
        });
        freshClient.close();
        expect(cache.fetched.sort()).toEqual(r.image.manifest.layers.map((l) => l.digest).sort());
      } finally {
        await fresh.stop();
      }
      client.close();
    } finally {
      await reg.stop();
      t.cleanup();
    }
  });

  it('a changed file rebuilds only the step reading it and fetches only the layers that step needs', async () => {
    const cache = new OtherMachineCache(new StepCache(first.host.workRoot), first.host.store, new Set());
    const t = await makeBuildHost();
    writeFileSync(join(ctxDir, 'app.txt'), 'v2\n');
    try {
      const r = await build({ ...t, host: { ...t.host, cache } });
      expect(r.steps.filter((s) => s.status === 'built').map((s) => s.instruction)).toEqual([
        'COPY app.txt /app/',
      ]);
      const reason = r.steps.find((s) => s.status === 'built')!.reason;
      expect(reason?.kind).toBe('inputs-changed');
      // the COPY writes over the three cached layers, so those are fetched (once each)
      expect(cache.fetched.length).toBe(3);
    } finally {
      writeFileSync(join(ctxDir, 'app.txt'), 'v1\n');
      t.cleanup();
    }
  });

  it('a cached layer that cannot be delivered is rebuilt, with a warning, and the image is the same', async () => {
    const firstRun = await build(first);
    const runLayer = firstRun.steps.find((s) => s.instruction === 'RUN echo one > /one')!.layer!.digest;
    const cache = new OtherMachineCache(
      new StepCache(first.host.workRoot),
      first.host.store,
      new Set([runLayer]),
    );
    const t = await makeBuildHost();
    writeFileSync(join(ctxDir, 'app.txt'), 'v3\n');
    try {
      const r = await build({ ...t, host: { ...t.host, cache } });
      expect(r.steps.filter((s) => s.status === 'built').map((s) => s.instruction)).toEqual([
        'RUN echo one > /one',
        'COPY app.txt /app/',
      ]);
      // the cache warns about its broken entry itself; the builder notes the rebuild at debug level only
      expect(t.logger.text('debug')).toMatch(
        /could not be restored \(pack holding .* is truncated\); rebuilding it/,
      );
      expect(t.logger.text('warn')).toBe('');
      // the rebuilt RUN layer is byte-identical (SOURCE_DATE_EPOCH), so the COPY below it still sees the same parent
      expect(r.image.manifest.layers[1]!.digest).toBe(runLayer);
    } finally {
      writeFileSync(join(ctxDir, 'app.txt'), 'v1\n');
      t.cleanup();
    }
  });
});
