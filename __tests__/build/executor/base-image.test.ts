import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../../../src/build/executor.js';
import type { BuildHost } from '../../../src/build/types.js';
import { validateImage } from '../../../src/oci/validate.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { silentLogger } from '../../../src/log.js';
import type { Digest } from '../../../src/oci/digest.js';
import type { ImageManifest } from '../../../src/oci/types.js';
import { makeBuildHost } from '../../helpers/build-host.js';
import { pushBaseImage } from '../../helpers/differential-base.js';
import { isBlobGet, startFaultProxy, type FaultProxy } from '../../helpers/registry-fault-proxy.js';
import { startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { buildRequest } from '../../helpers/build-request.js';

let reg: TestRegistry;
let proxy: FaultProxy;
let base: string;
let ctxDir: string;
let scratch: string;
const configs = new Set<string>();
let layerDigests: Digest[] = [];

beforeAll(async () => {
  reg = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({ target: reg.url });
  scratch = mkdtempSync(join(tmpdir(), 'ib-base-'));
  // pushed through the proxy, so the image's reference names the proxy's host
  base = (await pushBaseImage(scratch, proxy.host)).reference;
  const client = new RegistryClient({ registry: reg.host, logger: silentLogger });
  const m = JSON.parse(
    (await client.getManifest('differential/base', '1')).bytes.toString(),
  ) as ImageManifest;
  configs.add(m.config.digest);
  layerDigests = m.layers.map((l) => l.digest);
  client.close();
  ctxDir = mkdtempSync(join(tmpdir(), 'ib-ctx-'));
});
afterAll(async () => {
  await proxy.stop();
  await reg.stop();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(ctxDir, { recursive: true, force: true });
});

async function build(host: BuildHost, dockerfile: string) {
  writeFileSync(join(ctxDir, 'Dockerfile'), dockerfile);
  return buildImage(await buildRequest(ctxDir, dockerfile), host);
}

describe('base images from a registry', () => {
  it('downloads and unpacks base layers at once, storing every blob verified', async () => {
    const t = await makeBuildHost({ registry: (r) => new RegistryClient({ registry: r, logger: t.logger }) });
    try {
      const r = await build(t.host, `FROM ${base}\nRUN echo built > /built && cat /etc/passwd > /dev/null\n`);
      expect(await validateImage(t.host.store, r.image.descriptor)).toEqual([]);
      for (const l of r.image.manifest.layers) expect(await t.host.store.has(l.digest)).toBe(true);
      // each base layer was downloaded exactly once
      const gets = proxy.log.filter(
        (e) => e.side === 'main' && e.method === 'GET' && /\/blobs\//.test(e.path),
      );
      expect(new Set(gets.map((g) => g.path)).size).toBe(gets.length);
    } finally {
      t.cleanup();
    }
  });

  it('a base layer that fails verification leaves neither a blob nor a layer directory behind', async () => {
    // corrupt only the big blobs (the layers); the config still resolves
    proxy.addRule({
      match: (r) => isBlobGet(r) && !configs.has(r.path.split('/').pop() ?? ''),
      fault: { kind: 'corrupt-body' },
    });
    const t = await makeBuildHost({
      registry: (r) => new RegistryClient({ registry: r, logger: t.logger, retry: { maxAttempts: 1 } }),
    });
    try {
      await expect(build(t.host, `FROM ${base}\nRUN true\n`)).rejects.toThrow(/digest|sha256/i);
      const layers = join(t.host.workRoot, 'layers');
      const left = existsSync(layers) ? readdirSync(layers).filter((n) => !n.startsWith('.')) : [];
      expect(left).toEqual([]);
      const stored = await Promise.all(layerDigests.map((d) => t.host.store.has(d)));
      expect(stored.every((has) => !has)).toBe(true);
    } finally {
      proxy.clearRules();
      t.cleanup();
    }
  });
});
