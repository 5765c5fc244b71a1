/**
 * Fault injection against the real registry: Debian's docker-registry (token auth) behind the loopback fault
 * proxy, driven by the bundled CLI (`dist/cli/index.js build … --push`, real RUN steps, a warm work dir so each
 * run is mostly a push of a fresh repository).
 *
 * - 10% of all registry requests faulted (429 with Retry-After, 500/502/503, connection resets, responses cut
 *   mid-body, slow responses, expired tokens): 50 consecutive runs all succeed with the same digest, and the
 *   debug log shows the retries.
 * - The registry stopped mid-push: restarted while the client still retries (the run completes), or left down
 *   (the run fails with one clear line); either way no tag points at an image with missing blobs — every tag of
 *   every repository is copied with skopeo, which fetches and verifies each blob — and the next run works.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { makeContext, runBundle, tempDir, type CliRun } from '../cli/cli-harness.js';
import {
  isBlobPut,
  isUploadStart,
  startFaultProxy,
  type FaultProxy,
  type ProxyRequestInfo,
} from '../helpers/registry-fault-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import {
  auditTags,
  dockerConfig,
  faultKinds,
  faultMix,
  type FaultName,
} from '../helpers/reliability-registry.js';

jest.setTimeout(900_000);

const tmp = tempDir('ib-rel-registry-');
const work = join(tmp.dir, 'work');
const runs = 50;
const faultRate = 0.1;
const injected: readonly FaultName[] = Object.keys(faultKinds) as FaultName[];
/** A run that takes this long is hung, not slow (runs take a few seconds). */
const runBoundMs = 180_000;

let registry: TestRegistry;
let proxy: FaultProxy;
let config: { dir: string; cleanup(): void };
let context: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' });
  proxy = await startFaultProxy({ target: registry.url, seed: 20261122 });
  config = dockerConfig(proxy.host, registry.username!, registry.password!);
  const base = makeContext(join(tmp.dir, 'base'), { Dockerfile: 'FROM scratch\nCOPY rootfs/ /\n' });
  ok(await build(base, [`${proxy.host}/rel/base:1`]));
  context = makeContext(join(tmp.dir, 'app'), {
    Dockerfile: [
      `FROM ${proxy.host}/rel/base:1`,
      'RUN echo built > /built && ls /bin | wc -l > /applets',
      'COPY app.txt /app/',
      'RUN cat /app/app.txt /built > /app/both',
      '',
    ].join('\n'),
    'app.txt': `app ${randomBytes(4).toString('hex')}\n`,
  });
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  config?.cleanup();
  tmp.cleanup();
});

/** `build --push` through the bundle, with registry credentials and a reproducible timestamp. */
function build(
  dir: string,
  tags: readonly string[],
  extra: readonly string[] = [],
  debug = true,
): Promise<CliRun> {
  let timer: NodeJS.Timeout | undefined;
  return runBundle(
    [
      'build',
      dir,
      '--work-dir',
      work,
      '--progress',
      'plain',
      ...(debug ? ['--debug'] : []),
      '--push',
      ...tags.flatMap((t) => ['-t', t]),
      ...extra,
    ],
    {
      env: { DOCKER_CONFIG: config.dir, SOURCE_DATE_EPOCH: '1700000000' },
      onStderr: (_text, child) => {
        timer ??= setTimeout(() => child.kill('SIGKILL'), runBoundMs);
      },
    },
  ).finally(() => clearTimeout(timer));
}

function ok(r: CliRun): string {
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({
    code: 0,
    stderr: '',
  });
  return r.stdout.trim();
}

const retryLines = (r: CliRun): string[] =>
  r.stderr.split('\n').filter((l) => /\bretrying .* after /.test(l));

describe('10% of registry requests faulted', () => {
  it(`${runs} consecutive build+push runs all succeed with the same digest, retries in the log`, async () => {
    const everything = (_r: ProxyRequestInfo): boolean => true;
    proxy.addRule({ name: 'mix', match: everything, rate: faultRate, fault: faultMix(injected) });
    const started = Date.now();
    const before = proxy.log.length;
    const digests = new Set<string>();
    let retries = 0;
    try {
      for (let i = 1; i <= runs; i++) {
        const r = await build(
          context,
          [`${proxy.host}/rel/app-${i}:v1`, `${proxy.host}/rel/app-${i}:latest`],
          ['--pull'],
        );
        digests.add(ok(r));
        retries += retryLines(r).length;
      }
    } finally {
      proxy.clearRules();
    }
    const requests = proxy.log.slice(before).filter((e) => e.side === 'main').length;
    const faults = proxy.faultCounts();
    const faulted = Object.values(faults).reduce((a, b) => a + b, 0);
    expect(digests.size).toBe(1);
    // every kind was injected, and the client retried
    const kinds = [...new Set(injected.map((n) => faultKinds[n].kind))];
    expect(Object.keys(faults)).toEqual(expect.arrayContaining(kinds));
    expect(retries).toBeGreaterThan(0);
    const audit = await auditTags(registry, [
      'rel/base',
      ...Array.from({ length: runs }, (_, i) => `rel/app-${i + 1}`),
    ]);
    expect(audit.broken).toEqual([]);
    expect(audit.tags).toHaveLength(1 + 2 * runs);
    process.stdout.write(
      `registry-faults ${JSON.stringify({ runs, requests, faulted, faults, retries, seconds: Math.round((Date.now() - started) / 1000), tags: audit.tags.length, broken: audit.broken.length })}\n`,
    );
  });
});

describe('the registry stopped mid-push', () => {
  /** Starts a push whose blob uploads are slowed, and halts the registry once the first upload is under way. */
  async function pushWithOutage(repo: string, outageMs: number | 'until-failed'): Promise<CliRun> {
    const debug = outageMs !== 'until-failed';
    proxy.addRule({
      name: 'slow uploads',
      match: (r) => isBlobPut(r) || isUploadStart(r),
      fault: { kind: 'delay', ms: 800 },
    });
    let halted = false;
    const halt = async (): Promise<void> => {
      halted = true;
      await registry.halt();
      if (outageMs !== 'until-failed') setTimeout(() => void registry.resume(), outageMs);
    };
    const watcher = setInterval(() => {
      if (!halted && proxy.log.some((e) => e.method === 'POST' && e.path.includes(`/${repo}/blobs/uploads/`)))
        void halt();
    }, 20);
    try {
      // a changed file: new layers to upload
      return await build(
        makeContext(join(tmp.dir, repo), {
          Dockerfile: 'FROM scratch\nCOPY rootfs/ /\nCOPY payload.bin /\n',
          'payload.bin': randomBytes(1 << 20).toString('base64'),
        }),
        [`${proxy.host}/${repo}:v1`, `${proxy.host}/${repo}:latest`],
        [],
        debug,
      );
    } finally {
      clearInterval(watcher);
      proxy.clearRules();
      expect(halted).toBe(true);
    }
  }

  it('restarted within the retry window: the run completes, every tag is complete', async () => {
    const r = await pushWithOutage('rel/restart-quick', 1500);
    ok(r);
    expect(retryLines(r).length).toBeGreaterThan(0);
    const audit = await auditTags(registry, ['rel/restart-quick']);
    expect({ tags: audit.tags, broken: audit.broken }).toEqual({
      tags: ['rel/restart-quick:latest', 'rel/restart-quick:v1'],
      broken: [],
    });
  });

  it('left down: the run fails with one clear line, no tag points at a partial image, the next run works', async () => {
    const r = await pushWithOutage('rel/restart-late', 'until-failed');
    await registry.resume();
    expect(r.code).toBe(1);
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(
      `error: cannot reach registry ${proxy.host} (ECONNRESET) — is the registry running and the address right?`,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const audit = await auditTags(registry, ['rel/restart-late']);
    expect(audit.broken).toEqual([]);
    // the next run on the same machine completes the push
    ok(await build(join(tmp.dir, 'rel/restart-late'), [`${proxy.host}/rel/restart-late:v1`]));
    const after = await auditTags(registry, ['rel/restart-late']);
    expect(after.broken).toEqual([]);
    expect(after.tags).toContain('rel/restart-late:v1');
  });
});
