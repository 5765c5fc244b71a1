// Benchmark (not a test): cold push of a synthetic 3-layer ~200 MB image with image-build's pushImage vs
// `skopeo copy oci:… docker://…` of the same OCI layout, each to a fresh loopback docker-registry, plus an
// unchanged re-push with a new client. Median of 3 (skopeo goes first in the second run to cancel order effects).
//
// Run from the repository root (jest is not involved; the TypeScript is compiled first):
//   npx tsc --noEmit false --outDir /tmp/ib-build --declaration false; echo '{"type":"module"}' > /tmp/ib-build/package.json
//   IB_BUILD=/tmp/ib-build node __tests__/push/bench/push-vs-skopeo.mjs
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
const B = process.env.IB_BUILD ?? '/tmp/ib-build';
const { openStore } = await import(`${B}/src/store/index.js`);
const { RegistryClient } = await import(`${B}/src/registry/client.js`);
const { parseReference } = await import(`${B}/src/registry/reference.js`);
const { pushImage } = await import(`${B}/src/push/index.js`);
const { startRegistry } = await import(`${B}/__tests__/helpers/registry.js`);
const { makeTestImage, storeTestImage } = await import(`${B}/__tests__/helpers/registry-images.js`);
const { silentLogger } = await import(`${B}/src/log.js`);
const run = promisify(execFile);

const dir = await mkdtemp(join(tmpdir(), 'ib-bench-'));
const store = await openStore(join(dir, 'store'));
const image = makeTestImage({ layerSizes: [100e6, 60e6, 40e6], gzipLevel: 1 });
const source = await storeTestImage(store, image, 'app');
const total = image.layers.reduce((n, l) => n + l.blob.length, 0);
console.log(`image ${source.digest}: ${(total / 1e6).toFixed(1)} MB in ${image.layers.length} layers`);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[1];
const ours = [],
  skopeo = [],
  repush = [];
for (let i = 0; i < 3; i++) {
  const a = await startRegistry({ auth: 'none' });
  const b = await startRegistry({ auth: 'none' });
  try {
    if (i === 1) {
      const t = process.hrtime.bigint();
      await run('skopeo', [
        'copy',
        '-q',
        '--dest-tls-verify=false',
        `oci:${store.root}:app`,
        `docker://${b.host}/bench/app:v1`,
      ]);
      skopeo.push(ms(t));
    }
    let t0 = process.hrtime.bigint();
    let client = new RegistryClient({ registry: a.host, logger: silentLogger });
    const targets = [parseReference(`${a.host}/bench/app:v1`)];
    await pushImage({ client, store, source, targets, logger: silentLogger });
    client.close();
    ours.push(ms(t0));

    t0 = process.hrtime.bigint();
    client = new RegistryClient({ registry: a.host, logger: silentLogger });
    const r = await pushImage({ client, store, source, targets, logger: silentLogger });
    client.close();
    repush.push(ms(t0));
    if (r.blobs.uploaded.count !== 0 || r.targets[0].outcome !== 'unchanged')
      throw new Error('re-push uploaded something');

    if (i === 1) continue;
    t0 = process.hrtime.bigint();
    await run('skopeo', [
      'copy',
      '-q',
      '--dest-tls-verify=false',
      `oci:${store.root}:app`,
      `docker://${b.host}/bench/app:v1`,
    ]);
    skopeo.push(ms(t0));
  } finally {
    await a.stop();
    await b.stop();
  }
}
const fmt = (xs) => `${xs.map((x) => x.toFixed(0)).join(', ')} ms → median ${median(xs).toFixed(0)} ms`;
console.log(`cold push, image-build: ${fmt(ours)}`);
console.log(`cold push, skopeo copy: ${fmt(skopeo)}`);
console.log(`ratio image-build / skopeo: ${(median(ours) / median(skopeo)).toFixed(2)}`);
console.log(`unchanged re-push (new client: ping + HEADs): ${fmt(repush)}`);
await rm(dir, { recursive: true, force: true });
