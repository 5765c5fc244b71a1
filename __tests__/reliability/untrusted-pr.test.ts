/**
 * Untrusted pull requests through the bundled action (local cache backend, a registry with credentials, the
 * GitHub API stand-in). The project's Dockerfile stands for the pull request's code: one RUN hunts for
 * credentials (environment, every process's environment, home directories, docker configs) and keeps what it
 * finds in the image.
 *
 * - A fork's pull_request: builds, but talks to neither the registry nor the API, the credential hunt finds
 *   nothing, and no cache entry is written.
 * - pull_request_target without `allow-pull-request-target`: refuses before building, touching nothing.
 * - pull_request_target with the opt-in: builds and pushes (the maintainer vouched for the code), but writes no
 *   cache entry — it runs in the base branch's cache scope, which the default branch's builds restore.
 * - A same-repository pull request writes only its own scope: the next default-branch build restores the
 *   default branch's index and builds the default branch's image.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { indexPrefix, scopeId } from '../../src/cache/index.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { actionBundles, type ActionBundles } from '../e2e/helpers/bundle.js';
import { branchPush, pullRequest, repository } from '../e2e/helpers/events.js';
import { startGithubApi, type GithubApi } from '../e2e/helpers/github-api.js';
import { makeProject, type Project } from '../e2e/helpers/project.js';
import { RegistryView } from '../e2e/helpers/registry-view.js';
import { runJob, type JobResult, type WorkflowEvent } from '../e2e/helpers/runner.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { findInTree, type Secret } from '../helpers/reliability-secrets.js';

jest.setTimeout(600_000);

const githubToken = 'ghs_untrustedPrTestToken0123456789abcdef';
const dockerfile = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN (env; cat /proc/*/environ; ls -laR /root /home /run; find / -xdev -name "config.json" -exec cat {} +) > /hunt.txt 2>&1; true',
  'COPY app.txt /app/',
  '',
].join('\n');

let bundles: ActionBundles;
let registry: TestRegistry;
let api: GithubApi;
let project: Project;
let cacheDir: string;
let scratch: string;
let view: RegistryView;
let secrets: Secret[];

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject({ Dockerfile: dockerfile });
  scratch = mkdtempSync(join(tmpdir(), 'ib-rel-untrusted-'));
  cacheDir = join(scratch, 'cache');
  view = new RegistryView(registry);
  secrets = [
    {
      name: 'registry password',
      value: registry.password!,
      forms: [Buffer.from(`${registry.username}:${registry.password}`).toString('base64')],
    },
    { name: 'GitHub token', value: githubToken },
  ];
}, 600_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), api?.stop(), bundles?.cleanup()]);
  project?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

let runs = 0;
function run(event: WorkflowEvent, inputs: Record<string, string> = {}): Promise<JobResult> {
  return runJob({
    bundles,
    workspace: project.dir,
    event,
    inputs: {
      registry: registry.host,
      username: registry.username!,
      password: registry.password!,
      'github-token': githubToken,
      'cache-backend': 'local',
      'cache-path': cacheDir,
      outputs: `oci:${join(scratch, `export-${++runs}`)}`,
      ...inputs,
    },
    env: { GITHUB_RUN_ID: String(5000 + runs) },
    repository,
    apiUrl: api.url,
    token: githubToken,
  });
}

const entries = (): string[] => readdirSync(join(cacheDir, 'entries')).sort();
const mainScope = (): string =>
  indexPrefix(scopeId({ ref: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'Dockerfile' }));
/** The pull request's change to the project (a different app.txt). */
const change = (text: string): void => writeFileSync(join(project.dir, 'app.txt'), text);

function ok(job: JobResult): void {
  expect({
    main: job.main.exitCode,
    post: job.post.exitCode,
    errors: [...job.main.errors, ...job.post.errors],
  }).toEqual({
    main: 0,
    post: 0,
    errors: [],
  });
}

/** What the pull request's credential hunt found, from the exported image. */
function hunted(n: number): string {
  const bundle = join(scratch, `bundle-${n}`);
  const layout = join(scratch, `export-${n}`);
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  const name = index.manifests[0]!.annotations!['org.opencontainers.image.ref.name']!;
  execFileSync('umoci', ['unpack', '--image', `${layout}:${name}`, bundle], { stdio: 'pipe' });
  return readFileSync(join(bundle, 'rootfs', 'hunt.txt'), 'utf8');
}

describe('untrusted pull requests', () => {
  let mainDigest = '';

  it('the default branch warms the cache (its own scope)', async () => {
    change('main\n');
    const job = await run(branchPush(project.sha));
    ok(job);
    mainDigest = job.main.outputs['digest']!;
    expect(entries().filter((e) => e.startsWith(mainScope()))).toHaveLength(1);
  });

  it('a fork: builds, no registry or API request, the credential hunt finds nothing, no cache entry written', async () => {
    change('fork\n');
    const before = { entries: entries(), requests: view.requests().all, calls: api.calls.length };
    const job = await run(pullRequest(project.sha, 41, 'mallory/hello-app'), { push: 'true' });
    ok(job);
    expect({ entries: entries(), requests: view.requests().all, calls: api.calls.length }).toEqual(before);
    const hunt = hunted(runs);
    expect(hunt).toContain('PATH=');
    expect(findInTree(join(scratch, `export-${runs}`), secrets)).toEqual([]);
    expect(hunt).not.toContain(registry.password!);
    expect(job.main.summary).toContain('read-only');
  });

  it('pull_request_target without the opt-in: refuses before building, writes and asks nothing', async () => {
    change('target without opt-in\n');
    const before = { entries: entries(), requests: view.requests().all, calls: api.calls.length };
    const job = await run(pullRequest(project.sha, 42, 'mallory/hello-app', 'pull_request_target'));
    expect(job.main.exitCode).toBe(1);
    expect(job.main.errors).toEqual([expect.stringMatching(/^input 'allow-pull-request-target': is false/)]);
    expect(job.main.log).not.toContain('::group::');
    expect({ entries: entries(), requests: view.requests().all, calls: api.calls.length }).toEqual(before);
  });

  it("pull_request_target with the opt-in: pushes, but never writes the base branch's cache scope", async () => {
    change('target with opt-in\n');
    const before = entries();
    const job = await run(pullRequest(project.sha, 43, 'mallory/hello-app', 'pull_request_target'), {
      'allow-pull-request-target': 'true',
    });
    ok(job);
    expect(await view.digest('octo-org/hello-app', 'pr-43')).toBe(job.main.outputs['digest']);
    expect(entries()).toEqual(before);
    expect(job.main.summary).toContain('read-only');
  });

  it('a same-repository pull request writes only its own scope; the default branch still builds its own image', async () => {
    change('same-repo pr\n');
    const before = entries();
    const pr = await run(pullRequest(project.sha, 44, repository));
    ok(pr);
    const added = entries().filter((e) => !before.includes(e));
    expect(added.filter((e) => e.startsWith('image-build-index-'))).toHaveLength(1);
    expect(added.filter((e) => e.startsWith(mainScope()))).toEqual([]);
    change('main\n');
    const again = await run(branchPush(project.sha));
    ok(again);
    expect(again.main.outputs['digest']).toBe(mainDigest);
    expect(again.main.summary).toContain('index restored;');
  });
});
