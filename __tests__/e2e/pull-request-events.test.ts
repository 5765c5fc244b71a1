/**
 * Pull requests through dist/: a same-repository PR pushes its pr-<n> preview and keeps one comment up to date
 * (through @actions/github against a loopback API that records the calls); a fork builds without pushing,
 * talking to neither the registry nor the API; pull_request_target refuses without the opt-in.
 */
import { jest } from '@jest/globals';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { actionBundles, type ActionBundles } from './helpers/bundle.js';
import { pullRequest, repository } from './helpers/events.js';
import { startGithubApi, type GithubApi } from './helpers/github-api.js';
import { makeProject, type Project } from './helpers/project.js';
import { RegistryView } from './helpers/registry-view.js';
import { defaultToken, runJob, type JobResult, type WorkflowEvent } from './helpers/runner.js';

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
      cache: 'false',
      ...inputs,
    },
    repository,
    apiUrl: api.url,
  });
}

const commentsPath = `/repos/${repository}/issues/15/comments`;

describe('pull request events through dist/', () => {
  it('same-repository PR: pushes pr-15 and creates one comment with the pull command, digest and layers', async () => {
    const job = await run(pullRequest(project.sha, 15, repository));
    expect({ main: job.main.exitCode, errors: job.main.errors, post: job.post.exitCode }).toEqual({
      main: 0,
      errors: [],
      post: 0,
    });
    const digest = job.main.outputs['digest']!;
    expect(await view.digest(image, 'pr-15')).toBe(digest);
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${commentsPath}`,
      `POST ${commentsPath}`,
    ]);
    expect(api.calls.every((c) => c.authorization === `token ${defaultToken}`)).toBe(true);
    const [comment] = api.comments.get(`${repository}#15`)!;
    expect(comment!.body.split('\n').slice(0, 5)).toEqual([
      `<!-- image-build:${registry.host}/${image} -->`,
      `### 🐳 Preview image \`${registry.host}/${image}:pr-15\``,
      '',
      '```sh',
      `docker pull ${registry.host}/${image}:pr-15`,
    ]);
    expect(comment!.body).toContain(`| Digest | \`${digest}\` |`);
    expect(comment!.body).toContain('| Cache hit rate | 0 % (0 of 3 steps) |');
    expect(comment!.body).toMatch(
      /\| 1 \| `sha256:[0-9a-f]{12}` \| [\d.]+ MB \| `COPY rootfs\/ \/` \| 🔨 built \|/,
    );
  });

  it('the next push to the PR updates that comment instead of adding one', async () => {
    const before = api.comments.get(`${repository}#15`)![0]!.body;
    api.calls.length = 0;
    const job = await run(pullRequest(project.sha, 15, repository), { 'build-args': 'GREETING=changed' });
    expect(job.main.exitCode).toBe(0);
    const digest = job.main.outputs['digest']!;
    expect(before).not.toContain(digest);
    const [comment] = api.comments.get(`${repository}#15`)!;
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${commentsPath}`,
      `PATCH /repos/${repository}/issues/comments/${comment!.id}`,
    ]);
    expect(api.comments.get(`${repository}#15`)).toHaveLength(1);
    expect(comment!.body).toContain(`| Digest | \`${digest}\` |`);
    expect(await view.digest(image, 'pr-15')).toBe(digest);
  });

  it('a token that may not comment: a warning, the push still stands', async () => {
    api.failWith = 403;
    try {
      const job = await run(pullRequest(project.sha, 16, repository));
      expect({ main: job.main.exitCode, errors: job.main.errors }).toEqual({ main: 0, errors: [] });
      expect(job.main.warnings).toEqual([
        expect.stringMatching(
          /^could not comment on pull request #16 \(the token needs pull-requests: write\): /,
        ),
      ]);
      expect(await view.digest(image, 'pr-16')).toBe(job.main.outputs['digest']);
    } finally {
      api.failWith = undefined;
    }
  });

  it('a fork: builds, pushes nothing, asks nothing of the registry or the API, and says why', async () => {
    api.calls.length = 0;
    const before = view.requests();
    const job = await run(pullRequest(project.sha, 17, 'mallory/hello-app'), { push: 'true' });
    expect({ main: job.main.exitCode, errors: job.main.errors }).toEqual({ main: 0, errors: [] });
    expect(view.requests().all - before.all).toBe(0);
    expect(api.calls).toEqual([]);
    expect(await view.tags(image)).not.toContain('pr-17');
    expect(job.main.warnings).toEqual([
      'push: true is ignored for a pull request from a fork (mallory/hello-app): forks get no push credentials',
    ]);
    expect(job.main.outputs['digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(job.main.outputs['tags']).toBe(
      `${registry.host}/${image}:pr-17\n${registry.host}/${image}:sha-${project.sha.slice(0, 7)}`,
    );
    expect(job.main.summary).toContain(
      '| Push | not pushed: pull request from a fork (mallory/hello-app): forks get no push credentials |',
    );
    expect(job.main.summary).toContain('Pull request #17 from a fork (mallory/hello-app) · ');
  });

  it('pull_request_target without the opt-in: refuses before building, one error, no tag', async () => {
    const job = await run(pullRequest(project.sha, 18, 'mallory/hello-app', 'pull_request_target'));
    expect(job.main.exitCode).toBe(1);
    expect(job.main.errors).toEqual([
      expect.stringMatching(
        /^input 'allow-pull-request-target': is false, and pull_request_target runs with this repository/,
      ),
    ]);
    expect(job.main.log).not.toContain('::group::');
    expect(await view.tags(image)).not.toContain('pr-18');
    expect(job.post.exitCode).toBe(0);
  });

  it('pull_request_target with allow-pull-request-target: builds and pushes pr-19', async () => {
    const job = await run(pullRequest(project.sha, 19, repository, 'pull_request_target'), {
      'allow-pull-request-target': 'true',
    });
    expect({ main: job.main.exitCode, errors: job.main.errors }).toEqual({ main: 0, errors: [] });
    expect(await view.digest(image, 'pr-19')).toBe(job.main.outputs['digest']);
  });
});
