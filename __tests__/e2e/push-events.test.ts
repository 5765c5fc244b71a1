/**
 * The action through dist/, as the runner runs it, for the push-like events: branch push (twice on one
 * commit), workflow_dispatch, schedule, tag push, release and a backport release, against a real registry with
 * htpasswd auth. skopeo and umoci check what the registry and the exports hold.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { actionBundles, type ActionBundles } from './helpers/bundle.js';
import {
  branchPush,
  releasePublished,
  repository,
  schedule,
  tagPush,
  workflowDispatch,
} from './helpers/events.js';
import { startGithubApi, type GithubApi } from './helpers/github-api.js';
import { makeProject, type Project } from './helpers/project.js';
import { RegistryView } from './helpers/registry-view.js';
import { runJob, type JobResult, type WorkflowEvent } from './helpers/runner.js';

// Real builds, pushes and a packaging step on a shared machine: generous limits, no timed assertions.
jest.setTimeout(600_000);

let bundles: ActionBundles;
let registry: TestRegistry;
let api: GithubApi;
let project: Project;
let view: RegistryView;

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject();
  view = new RegistryView(registry);
}, 600_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), api?.stop(), bundles?.cleanup()]);
  project?.cleanup();
});

const secret = 'TOPSECRET-e2e-value-123';
const image = 'octo-org/hello-app';

function run(event: WorkflowEvent, inputs: Record<string, string> = {}): Promise<JobResult> {
  return runJob({
    bundles,
    workspace: project.dir,
    event,
    inputs: {
      registry: registry.host,
      username: registry.username!,
      password: registry.password!,
      'build-args': 'GREETING=hi',
      secrets: `token=${secret}`,
      cache: 'false',
      ...inputs,
    },
    repository,
    apiUrl: api.url,
  });
}

function expectSuccess(job: JobResult): void {
  expect({ main: job.main.exitCode, post: job.post.exitCode, errors: job.main.errors }).toEqual({
    main: 0,
    post: 0,
    errors: [],
  });
  expect(existsSync(join(job.runnerTemp, 'image-build', '__self'))).toBe(false);
}

function expectNoSecrets(job: JobResult): void {
  for (const value of [secret, registry.password!]) {
    const visible = job.main.log
      .split('\n')
      .filter((l) => l.includes(value) && !l.startsWith('::add-mask::'));
    expect(visible).toEqual([]);
    expect(JSON.stringify([job.main.outputs, job.main.state, job.main.summary, job.post.log])).not.toContain(
      value,
    );
  }
}

const sha7 = (): string => project.sha.slice(0, 7);
let firstDigest = '';

describe('push events through dist/', () => {
  it('branch push: builds, pushes the branch and sha tags, exports, pins timestamps to the commit', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ib-e2e-out-'));
    try {
      const before = view.requests();
      const job = await run(branchPush(project.sha), {
        outputs: `oci:${out}/layout\ndocker:${out}/image.tar`,
      });
      expect(view.requests().writes - before.writes).toBeGreaterThan(4);
      expectSuccess(job);
      expectNoSecrets(job);
      firstDigest = job.main.outputs['digest']!;
      expect(job.main.outputs).toMatchObject({
        version: 'main',
        tags: `${registry.host}/${image}:main\n${registry.host}/${image}:sha-${sha7()}`,
        image: `${registry.host}/${image}@${firstDigest}`,
      });
      expect(await view.tags(image)).toEqual(['main', `sha-${sha7()}`].sort());
      expect(await view.digest(image, 'main')).toBe(firstDigest);
      const config = await view.config(image, 'main');
      expect(config.created).toBe('2024-05-01T12:00:00Z');
      expect(config.config?.Labels).toMatchObject({
        'org.opencontainers.image.created': '2024-05-01T12:00:00.000Z',
        'org.opencontainers.image.revision': project.sha,
        'org.opencontainers.image.version': 'main',
      });
      expect(job.main.summary).toContain(`| Tags | \`${registry.host}/${image}:main\` pushed<br>`);
      expect(job.main.summary).toMatch(
        /\| Push \| 4 blobs uploaded \([\d.]+ MB\), 0 already in the registry \|/,
      );
      // the exports: an OCI layout umoci unpacks (secret and build arg reached the RUN), a docker archive
      execFileSync('umoci', ['unpack', '--image', `${out}/layout:main`, `${out}/bundle`]);
      expect(readFileSync(`${out}/bundle/rootfs/greeting`, 'utf8')).toBe(
        `hi, secret of ${secret.length} bytes\n`,
      );
      const archived = execFileSync(
        'skopeo',
        ['inspect', '--format', '{{.Digest}}', `docker-archive:${out}/image.tar`],
        { encoding: 'utf8' },
      );
      expect(archived.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the same commit again: the same digest, nothing uploaded, every tag left alone', async () => {
    const before = view.requests();
    const job = await run(branchPush(project.sha));
    const during = view.requests();
    expectSuccess(job);
    expect(job.main.outputs['digest']).toBe(firstDigest);
    expect(during.writes - before.writes).toBe(0);
    const push = JSON.parse(job.main.outputs['metadata']!)['image-build.push'];
    expect(push.targets.map((t: { outcome: string }) => t.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(push.blobs.uploaded).toEqual({ count: 0, bytes: 0 });
    expect(job.main.log).toContain(
      `${registry.host}/${image}:main already points at ${firstDigest}: left alone`,
    );
    expect(job.main.summary).toContain('· already up to date in the registry');
  });

  it('workflow_dispatch on a branch: that branch and the sha', async () => {
    const job = await run(workflowDispatch(project.sha, 'dev'));
    expectSuccess(job);
    expect(job.main.outputs['tag-names']).toBe(`dev\nsha-${sha7()}`);
    expect(await view.digest(image, 'dev')).toBe(job.main.outputs['digest']);
    expect(job.main.summary).toContain('Workflow_dispatch on dev');
  });

  it('schedule: nightly, the branch and the sha', async () => {
    const job = await run(schedule(project.sha));
    expectSuccess(job);
    expect(job.main.outputs['tag-names']).toBe(`nightly\nmain\nsha-${sha7()}`);
    expect(await view.digest(image, 'nightly')).toBe(job.main.outputs['digest']);
  });

  it('tag push v1.2.3: semver tags and latest (nothing newer in the registry)', async () => {
    const job = await run(tagPush(project.sha, 'v1.2.3'));
    expectSuccess(job);
    expect(job.main.outputs['version']).toBe('1.2.3');
    expect(job.main.outputs['tag-names']).toBe(`1.2.3\n1.2\n1\nsha-${sha7()}\nlatest`);
    expect(await view.digest(image, 'latest')).toBe(job.main.outputs['digest']);
  });

  it('release v1.3.0 published: moves 1 and latest forward', async () => {
    const job = await run(releasePublished(project.sha, 'v1.3.0'));
    expectSuccess(job);
    expect(job.main.outputs['tag-names']).toBe(`1.3.0\n1.3\n1\nsha-${sha7()}\nlatest`);
    expect(await view.digest(image, '1')).toBe(job.main.outputs['digest']);
  });

  it('a backport release v1.2.4 after 1.3.0: 1.2 moves, 1 and latest stay on 1.3.0', async () => {
    const latestBefore = await view.digest(image, 'latest');
    const job = await run(releasePublished(project.sha, 'v1.2.4'));
    expectSuccess(job);
    expect(job.main.outputs['tag-names']).toBe(`1.2.4\n1.2\nsha-${sha7()}`);
    expect(await view.digest(image, 'latest')).toBe(latestBefore);
    expect(await view.digest(image, '1.2')).toBe(job.main.outputs['digest']);
  });
});
