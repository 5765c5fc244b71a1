// Benchmark (not a test) for the cross-run cache's two figures, with the local backend and real builds, each on
// a fresh machine (new work root and store; only the cache directory carries over, as between CI runs):
//   1. bytes written to the cache after a one-file change, against the size of the changed layers (target ≤ 1.1);
//   2. the cache's size over 50 successive builds with changing sources, against its budget (target: always under).
//
// Run from the repository root as root (RUN steps need it); the TypeScript is compiled first:
//   npx tsc --noEmit false --outDir /tmp/ib-build --declaration false; echo '{"type":"module"}' > /tmp/ib-build/package.json
//   IB_BUILD=/tmp/ib-build node __tests__/cache/bench/cache-bench.mjs [builds=50] [changed-file-bytes=524288] [budget-bytes]
// The default budget (7 MiB) is below what four versions of the changing steps need, so the budget, not only the
// per-slot version limit, decides what is kept.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const B = process.env.IB_BUILD ?? '/tmp/ib-build';
const { openCache, measureSave, LocalCacheStore } = await import(`${B}/src/cache/index.js`);
const { buildImage } = await import(`${B}/src/build/executor.js`);
const { rootPrivilege } = await import(`${B}/src/build/rootfs/privilege.js`);
const { openBuildContext } = await import(`${B}/src/context/index.js`);
const { parseDockerfile } = await import(`${B}/src/dockerfile/index.js`);
const { hostPlatform } = await import(`${B}/src/oci/platform.js`);
const { makeBuildHost } = await import(`${B}/__tests__/helpers/build-host.js`);
const { writeBusyboxRootfs } = await import(`${B}/__tests__/helpers/busybox-rootfs.js`);

const builds = Number(process.argv[2] ?? 50);
const changedBytes = Number(process.argv[3] ?? 512 * 1024);
const budgetBytes = Number(process.argv[4] ?? 7 * 1024 * 1024);
const df = [
  'FROM scratch',
  'COPY rootfs/ /',
  'COPY deps.bin /deps/',
  'RUN cp /deps/deps.bin /deps/built.bin',
  'COPY src/ /app/',
  'RUN md5sum /app/* > /app/sums',
].join('\n');

const ctx = mkdtempSync(join(tmpdir(), 'ib-cache-bench-ctx-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'ib-cache-bench-dir-'));
writeBusyboxRootfs(join(ctx, 'rootfs'));
writeFileSync(join(ctx, 'deps.bin'), randomBytes(2 * 1024 * 1024));
mkdirSync(join(ctx, 'src'));
writeFileSync(join(ctx, 'src', 'other.txt'), 'unchanged\n');
writeFileSync(join(ctx, 'Dockerfile'), df);

async function ciRun(n, budgetBytes) {
  writeFileSync(join(ctx, 'src', 'app.bin'), randomBytes(changedBytes));
  const t = await makeBuildHost();
  try {
    const cache = await openCache({
      backend: { kind: 'local', dir: cacheDir },
      scope: { ref: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'Dockerfile' },
      run: { id: String(n), attempt: 1 },
      store: t.host.store,
      workRoot: t.host.workRoot,
      privilege: rootPrivilege,
      hostEnv: t.host.hostEnv,
      logger: t.logger,
      clock: t.host.clock,
      budgetBytes,
    });
    const result = await buildImage(
      {
        dockerfile: parseDockerfile(df, { file: 'Dockerfile' }),
        context: await openBuildContext({ dir: ctx }),
        buildArgs: {},
        platform: hostPlatform(),
        secrets: new Map(),
        labels: {},
        annotations: {},
        noCache: false,
        pull: false,
        compression: 'gzip',
      },
      { ...t.host, cache },
    );
    cache.noteBuild(result);
    const report = await cache.save();
    return { result, report, m: measureSave(result.steps, report) };
  } finally {
    t.cleanup();
  }
}

try {
  const store = new LocalCacheStore(cacheDir, { now: () => new Date() });
  const cold = await ciRun(0, budgetBytes);
  console.log(
    `cold build: ${cold.m.written} bytes written, cache ${cold.m.cacheBytes} bytes (budget ${budgetBytes})`,
  );
  let worst = 0;
  let pruned = 0;
  let maxDisk = 0;
  let maxIndexed = 0;
  const ratios = [];
  for (let n = 1; n <= builds; n++) {
    const { result, report, m } = await ciRun(n, budgetBytes);
    pruned += report.pruned.entries;
    const ran = result.steps.filter((s) => s.status === 'built').length;
    const disk = await store.sizeOnDisk();
    ratios.push(m.ratio);
    worst = Math.max(worst, m.ratio);
    maxDisk = Math.max(maxDisk, disk);
    maxIndexed = Math.max(maxIndexed, m.cacheBytes);
    if (n === 1 || n % 10 === 0)
      console.log(
        `build ${n}: ${ran} steps ran; wrote ${m.written} bytes for ${m.changedLayers} bytes of changed layers ` +
          `(ratio ${m.ratio.toFixed(3)}); cache: ${m.cacheBytes} bytes indexed, ${disk} bytes on disk`,
      );
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `one-file change (${changedBytes} bytes): written / changed layers median ${ratios[ratios.length >> 1].toFixed(3)}, worst ${worst.toFixed(3)} (target ≤ 1.1)`,
  );
  console.log(
    `${builds} builds: largest indexed size ${maxIndexed}, largest on disk ${maxDisk}, budget ${budgetBytes}, ${pruned} packs pruned (target: under the budget)`,
  );
} finally {
  rmSync(ctx, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
}
