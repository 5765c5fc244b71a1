/**
 * The cross-run cache through dist/: main restores and suspends, post saves; a second runner (fresh
 * RUNNER_TEMP) reuses every step and pushes the same digest; a pull request restores the default branch's
 * cache; a fork reads but never writes; the gha backend says when the runner has no cache service.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { actionBundles, type ActionBundles } from './helpers/bundle.js';
import { branchPush, pullRequest, repository } from './helpers/events.js';
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
let cacheDir: string;

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject();
  cacheDir = mkdtempSync(join(tmpdir(), 'ib-e2e-cache-'));
}, 600_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), api?.stop(), bundles?.cleanup()]);
  project?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

function run(event: WorkflowEvent, inputs: Record<string, string> = {}): Promise<JobResult> {
  return runJob({
    bundles,
    workspace: project.dir,
    event,
    inputs: {
      registry: registry.host,
      username: registry.username!,
      password: registry.password!,
      'cache-backend': 'local',
      'cache-path': cacheDir,
      ...inputs,
    },
    repository,
    apiUrl: api.url,
  });
}

const steps = (job: JobResult): { status: string }[] =>
  JSON.parse(job.main.outputs['metadata']!)['image-build.steps'];
const statuses = (job: JobResult): string[] =>
  steps(job)
    .map((s) => s.status)
    .filter((s) => s !== 'config');

describe('cross-run cache through dist/', () => {
  let digest = '';

  it('a cold cache: every step built, post saves the layers', async () => {
    const job = await run(branchPush(project.sha));
    expect({ main: job.main.exitCode, errors: job.main.errors, post: job.post.exitCode }).toEqual({
      main: 0,
      errors: [],
      post: 0,
    });
    expect(statuses(job)).toEqual(['built', 'built', 'built']);
    expect(job.main.summary).toContain('`local` cache; cold cache; 0 hits, 3 misses; saved in the post step');
    expect(job.post.log).toMatch(/^cache saved: [1-9]\d* entries \([\d.]+ [kM]B\)/m);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    digest = job.main.outputs['digest']!;
  });

  it('a fresh runner: every step restored from the cache, the same digest, nothing new uploaded', async () => {
    const job = await run(branchPush(project.sha));
    expect(job.main.errors).toEqual([]);
    expect(statuses(job)).toEqual(['cached', 'cached', 'cached']);
    expect(job.main.outputs['digest']).toBe(digest);
    expect(job.main.summary).toContain(
      '| Cache | 3 of 3 steps cached (100 %); `local` cache; index restored; 3 hits, 0 misses',
    );
    expect(job.main.summary).toContain('✅ cached (restored)');
    const push = JSON.parse(job.main.outputs['metadata']!)['image-build.push'];
    expect(push.blobs.uploaded.count).toBe(0);
  });

  it("a pull request starts from the default branch's cache and says so in its comment", async () => {
    const job = await run(pullRequest(project.sha, 21, repository));
    expect(job.main.errors).toEqual([]);
    expect(statuses(job)).toEqual(['cached', 'cached', 'cached']);
    expect(job.main.summary).toContain('index restored from the default branch');
    const [comment] = api.comments.get(`${repository}#21`)!;
    expect(comment!.body).toContain('| Cache hit rate | 100 % (3 of 3 steps) |');
  });

  it('a fork reads the cache but never writes it', async () => {
    const before = readdirSync(cacheDir).sort();
    const job = await run(pullRequest(project.sha, 22, 'mallory/hello-app'), {
      'build-args': 'GREETING=fork',
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.summary).toContain('`local` cache, read-only;');
    expect(job.post.log).toContain('cache not saved: pull request from a fork: restore only');
    expect(readdirSync(cacheDir).sort()).toEqual(before);
  });

  it('the registry backend: a fresh runner reuses every step from cache tags in the image repository', async () => {
    const inputs = { 'cache-backend': 'registry', 'cache-path': '', 'build-args': 'GREETING=registry-cache' };
    const cold = await run(branchPush(project.sha), inputs);
    expect(cold.main.errors).toEqual([]);
    expect(statuses(cold)).toEqual(['built', 'built', 'built']);
    expect(cold.post.log).toMatch(/^cache saved: [1-9]\d* entries/m);
    const tags = await new RegistryView(registry).tags('octo-org/hello-app');
    expect(tags.filter((t) => t.startsWith('image-build-cache-'))).toHaveLength(1);
    const warm = await run(branchPush(project.sha), inputs);
    expect(statuses(warm)).toEqual(['cached', 'cached', 'cached']);
    expect(warm.main.outputs['digest']).toBe(cold.main.outputs['digest']);
  });

  it('the gha backend on a runner without the cache service: off, and why', async () => {
    const job = await run(branchPush(project.sha), { 'cache-backend': 'gha', 'cache-path': '' });
    expect(job.main.errors).toEqual([]);
    expect(job.main.summary).toContain(
      "cross-run cache off: GitHub's cache service is not available to this job (ACTIONS_RESULTS_URL is not set)",
    );
  });
});
