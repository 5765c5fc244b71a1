/**
 * Interruption, as a cancelled workflow does it (SIGINT, then SIGTERM): the bundled CLI and the bundled action
 * are signalled during a RUN step, during a layer upload (held back by the fault proxy) and — the action's post
 * step — during a cache save (the registry cache backend, its manifest held back). After each: the exit code
 * says so; no mount below the work directory, no process of the build and no temp file is left; no tag points
 * at an incomplete image (every tag is copied with skopeo); and the next run on the same machine works.
 */
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { makeContext, runBundle, tempDir, type CliRun } from '../cli/cli-harness.js';
import { actionBundles, type ActionBundles } from '../e2e/helpers/bundle.js';
import { branchPush, repository } from '../e2e/helpers/events.js';
import { makeProject, type Project } from '../e2e/helpers/project.js';
import { runJob, type JobResult, type StepWatcher } from '../e2e/helpers/runner.js';
import {
  isBlobPut,
  isManifestPut,
  isUploadStart,
  startFaultProxy,
  type FaultProxy,
  type ProxyRequestInfo,
} from '../helpers/registry-fault-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { leftovers } from '../helpers/reliability-host.js';
import { auditTags, listTags } from '../helpers/reliability-registry.js';

jest.setTimeout(600_000);

const tmp = tempDir('ib-rel-interrupt-');
let registry: TestRegistry;
let proxy: FaultProxy;
let bundles: ActionBundles;

beforeAll(async () => {
  [registry, bundles] = await Promise.all([startRegistry({ auth: 'none' }), actionBundles()]);
  proxy = await startFaultProxy({ target: registry.url });
}, 600_000);
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await bundles?.cleanup();
  tmp.cleanup();
});

/**
 * Requests matching `match` are held back long enough to be interrupted (the proxy forwards them afterwards);
 * the returned function says whether one has arrived.
 */
function holdBack(match: (r: ProxyRequestInfo) => boolean): () => boolean {
  let arrived = false;
  proxy.addRule({
    name: 'held back',
    match: (r) => match(r) && (arrived = true),
    fault: { kind: 'delay', ms: 3000 },
  });
  return () => arrived;
}

const uploadTo =
  (repo: string) =>
  (r: ProxyRequestInfo): boolean =>
    (isBlobPut(r) || isUploadStart(r)) && r.path.includes(`/${repo}/blobs/uploads/`);

type Killable = { kill(signal: NodeJS.Signals): void };

/** Sends `signal` to the child once `ready()` holds (polled; the child is known from its first output). */
function signalWhen(ready: () => boolean, signal: NodeJS.Signals) {
  let child: Killable | undefined;
  let sent = false;
  const timer = setInterval(() => {
    if (!sent && child && ready()) {
      sent = true;
      child.kill(signal);
    }
  }, 20);
  return {
    onStderr: (_text: string, c: Killable): void => void (child ??= c),
    watch: ((_log, c) => void (child ??= c)) as StepWatcher,
    sent: () => sent,
    stop: () => clearInterval(timer),
  };
}

/** Long enough to be interrupted; its command line marks a RUN process left behind. */
const nap = 4711;
const napping = `sleep ${nap}`;
const napDockerfile =
  'FROM scratch\nCOPY rootfs/ /\nARG NAP=0\nRUN echo napping && sleep $NAP\nCOPY app.txt /app/\n';

describe('the CLI interrupted', () => {
  const work = join(tmp.dir, 'cli-work');
  const ctx = join(tmp.dir, 'cli-ctx');
  beforeAll(() => makeContext(ctx, { Dockerfile: napDockerfile, 'app.txt': 'cli\n' }));

  function cli(args: readonly string[], onStderr?: (text: string, child: Killable) => void): Promise<CliRun> {
    return runBundle(['build', ctx, '--work-dir', work, '--progress', 'plain', ...args], {
      env: { SOURCE_DATE_EPOCH: '1700000000' },
      ...(onStderr ? { onStderr } : {}),
    });
  }

  it.each([
    { signal: 'SIGTERM' as const, code: 143 },
    { signal: 'SIGINT' as const, code: 130 },
  ])(
    '$signal during a RUN: exit $code, nothing left behind, the next run works',
    async ({ signal, code }) => {
      let sent = false;
      const r = await cli(['--build-arg', `NAP=${nap}`], (text, child) => {
        if (!sent && /#\d+ napping\n/.test(text)) {
          sent = true;
          child.kill(signal);
        }
      });
      expect({ sent, code: r.code, last: r.stderr.trimEnd().split('\n').at(-1) }).toEqual({
        sent: true,
        code,
        last: `error: interrupted by ${signal}`,
      });
      expect(leftovers(work, [napping])).toEqual([]);
      const next = await cli(['--build-arg', 'NAP=0']);
      expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
    },
  );

  it('SIGINT during a layer upload: exit 130, no tag, nothing left behind, the next run pushes', async () => {
    const repo = 'rel/cli-interrupted';
    const args = [
      '--push',
      '--build-arg',
      'NAP=0',
      '-t',
      `${proxy.host}/${repo}:v1`,
      '-t',
      `${proxy.host}/${repo}:latest`,
    ];
    const signal = signalWhen(holdBack(uploadTo(repo)), 'SIGINT');
    let r: CliRun;
    try {
      r = await cli(args, signal.onStderr);
    } finally {
      signal.stop();
      proxy.clearRules();
    }
    expect({ sent: signal.sent(), code: r.code, last: r.stderr.trimEnd().split('\n').at(-1) }).toEqual({
      sent: true,
      code: 130,
      last: 'error: interrupted by SIGINT',
    });
    expect(leftovers(work)).toEqual([]);
    expect(await auditTags(registry, [repo])).toEqual({ tags: [], broken: [] });
    const next = await cli(args);
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await auditTags(registry, [repo])).toEqual({ tags: [`${repo}:latest`, `${repo}:v1`], broken: [] });
  });
});

describe('the action interrupted', () => {
  let project: Project;
  beforeAll(() => {
    project = makeProject({ Dockerfile: napDockerfile });
  });
  afterAll(() => project?.cleanup());

  function job(
    inputs: Record<string, string>,
    watch: { main?: StepWatcher; post?: StepWatcher } = {},
  ): Promise<JobResult> {
    return runJob({
      bundles,
      workspace: project.dir,
      event: branchPush(project.sha),
      inputs: {
        registry: proxy.host,
        images: `${proxy.host}/rel/action-interrupted`,
        cache: 'false',
        ...inputs,
      },
      repository,
      apiUrl: 'http://127.0.0.1:9',
      ...(watch.main ? { watchMain: watch.main } : {}),
      ...(watch.post ? { watchPost: watch.post } : {}),
    });
  }

  const workRootOf = (j: JobResult): string => join(j.runnerTemp, 'image-build');

  it.each([{ signal: 'SIGTERM' as const }, { signal: 'SIGINT' as const }])(
    '$signal to main during a RUN: one error, post cleans up, nothing left behind, the next job works',
    async ({ signal }) => {
      let sent = false;
      const j = await job(
        { push: 'false', 'build-args': `NAP=${nap}` },
        {
          main: (log, child) => {
            if (!sent && /\nnapping\n/.test(log)) {
              sent = true;
              child.kill(signal);
            }
          },
        },
      );
      expect({ sent, failed: j.main.exitCode !== 0, errors: j.main.errors, post: j.post.exitCode }).toEqual({
        sent: true,
        failed: true,
        errors: [`interrupted by ${signal}`],
        post: 0,
      });
      expect(leftovers(workRootOf(j), [napping])).toEqual([]);
      const next = await job({ push: 'false' });
      expect({ main: next.main.exitCode, errors: next.main.errors }).toEqual({ main: 0, errors: [] });
    },
  );

  it('SIGINT to main during a layer upload: no tag, nothing left behind, the next job pushes', async () => {
    const repo = 'rel/action-interrupted';
    const signal = signalWhen(holdBack(uploadTo(repo)), 'SIGINT');
    let j: JobResult;
    try {
      j = await job({}, { main: signal.watch });
    } finally {
      signal.stop();
      proxy.clearRules();
    }
    expect({ sent: signal.sent(), errors: j.main.errors, post: j.post.exitCode }).toEqual({
      sent: true,
      errors: ['interrupted by SIGINT'],
      post: 0,
    });
    expect(leftovers(workRootOf(j))).toEqual([]);
    expect(await auditTags(registry, [repo])).toEqual({ tags: [], broken: [] });
    const next = await job({});
    expect({ main: next.main.exitCode, errors: next.main.errors }).toEqual({ main: 0, errors: [] });
    expect((await auditTags(registry, [repo])).broken).toEqual([]);
    expect(await listTags(registry, repo)).toContain('main');
  });

  it('SIGTERM to post during a cache save: no partial cache tag, nothing left behind, the next job works', async () => {
    const repo = 'rel/action-cache';
    const inputs = {
      images: `${proxy.host}/${repo}`,
      cache: 'true',
      'cache-backend': 'registry',
    };
    // only post writes the cache tag (image-build-cache-<scope>): hold that manifest back and stop post meanwhile
    const cacheManifest = (r: ProxyRequestInfo): boolean =>
      isManifestPut(r) && r.path.includes(`/${repo}/manifests/image-build-cache`);
    const signal = signalWhen(holdBack(cacheManifest), 'SIGTERM');
    let j: JobResult;
    try {
      j = await job(inputs, { post: signal.watch });
    } finally {
      signal.stop();
      proxy.clearRules();
    }
    expect({ sent: signal.sent(), main: j.main.exitCode, postErrors: j.post.errors }).toEqual({
      sent: true,
      main: 0,
      postErrors: [],
    });
    expect(leftovers(workRootOf(j))).toEqual([]);
    expect((await auditTags(registry, [repo])).broken).toEqual([]);
    const next = await job(inputs);
    expect({ main: next.main.exitCode, errors: next.main.errors, post: next.post.exitCode }).toEqual({
      main: 0,
      errors: [],
      post: 0,
    });
    expect((await auditTags(registry, [repo])).broken).toEqual([]);
  });
});
