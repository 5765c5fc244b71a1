/**
 * Bad input through dist/: each mistake fails the step with exactly one error annotation that names the
 * problem and what to do, no stack trace, and no tag in the registry moves.
 */
import { jest } from '@jest/globals';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { actionBundles, type ActionBundles } from './helpers/bundle.js';
import { branchPush, repository } from './helpers/events.js';
import { startGithubApi, type GithubApi } from './helpers/github-api.js';
import { makeProject, type Project } from './helpers/project.js';
import { RegistryView } from './helpers/registry-view.js';
import { runJob, type JobResult } from './helpers/runner.js';

// Real builds, pushes and a packaging step on a shared machine: generous limits, no timed assertions.
jest.setTimeout(600_000);

let bundles: ActionBundles;
let registry: TestRegistry;
let api: GithubApi;
let project: Project;
let view: RegistryView;

const image = 'octo-org/hello-app';

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject({
    'Broken.Dockerfile': 'FROM scratch\nCOPY rootfs/ /\nRUN echo failing on purpose && exit 3\n',
    'Typo.Dockerfile': 'FROM scratch\nCOPPY app.txt /\n',
  });
  view = new RegistryView(registry);
  const baseline = await run({});
  expect(baseline.main.errors).toEqual([]);
}, 600_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), api?.stop(), bundles?.cleanup()]);
  project?.cleanup();
});

function run(inputs: Record<string, string>): Promise<JobResult> {
  return runJob({
    bundles,
    workspace: project.dir,
    event: branchPush(project.sha),
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

async function tagDigests(): Promise<Record<string, string>> {
  const tags = await view.tags(image);
  return Object.fromEntries(
    await Promise.all(tags.map(async (t) => [t, await view.digest(image, t)] as const)),
  );
}

interface BadInputCase {
  readonly name: string;
  readonly given: () => Record<string, string>;
  readonly want: RegExp;
  /** Text that must not appear anywhere in the log. */
  readonly absent?: string;
}

// Every case also changes a build arg: had anything been pushed, `main` would point at a new digest.
const changed = { 'build-args': 'GREETING=this-run-must-not-be-pushed' };

const cases: BadInputCase[] = [
  {
    name: 'no Dockerfile',
    given: () => ({ ...changed, file: 'docker/Dockerfile' }),
    want: /^input 'file': there is no Dockerfile at "docker\/Dockerfile" — add a Dockerfile to the build context, or set file to the Dockerfile’s path$/,
  },
  {
    name: 'an unknown push value',
    given: () => ({ ...changed, push: 'sometimes' }),
    want: /^input 'push': "sometimes" is not one of auto, true, false — use one of: auto, true, false$/,
  },
  {
    name: 'a malformed build arg',
    given: () => ({ 'build-args': '=oops' }),
    want: /^input 'build-args': "=oops" is not NAME=value — write one build argument per line as NAME=value/,
  },
  {
    name: 'a malformed secret (not quoted: it may be the secret itself)',
    given: () => ({ ...changed, secrets: 'ghp_0123456789abcdef' }),
    want: /^input 'secrets': entry 1 is not a secret definition — write id=ID,src=FILE/,
    absent: 'ghp_0123456789abcdef',
  },
  {
    name: 'an unreachable registry',
    given: () => ({ ...changed, registry: '127.0.0.1:9', images: `127.0.0.1:9/${image}` }),
    want: /^cannot reach registry 127\.0\.0\.1:9 \(ECONNREFUSED\)/,
  },
  {
    name: 'a wrong password',
    given: () => ({ ...changed, password: 'not-the-password' }),
    want: /^push to 127\.0\.0\.1:\d+\/octo-org\/hello-app:main failed: credentials rejected \(401 UNAUTHORIZED\) — check the username\/password/,
  },
  {
    name: 'a repository name with capitals',
    given: () => ({ ...changed, tags: `${registry.host}/Octo-Org/Hello-App:main` }),
    want: /^input 'tags': repository name "Octo-Org\/Hello-App" in ".*" must be lowercase — use ".*\/octo-org\/hello-app:main"$/,
  },
  {
    name: 'a Dockerfile typo, with file and line',
    given: () => ({ ...changed, file: 'Typo.Dockerfile' }),
    want: /^Typo\.Dockerfile:2: /,
  },
  {
    name: 'a failing RUN step',
    given: () => ({ ...changed, file: 'Broken.Dockerfile' }),
    want: /^Broken\.Dockerfile:3: process "\/bin\/sh -c echo failing on purpose && exit 3" did not complete successfully: exit code: 3/,
  },
];

describe('bad input through dist/', () => {
  it.each(cases)('$name', async ({ given, want, absent }) => {
    const before = await tagDigests();
    const writes = view.requests().writes;
    const job = await run(given());
    expect(view.requests().writes).toBe(writes);
    expect(job.main.exitCode).toBe(1);
    expect(job.main.errors).toHaveLength(1);
    expect(job.main.errors[0]).toMatch(want);
    expect(job.main.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    if (absent) expect(job.main.log).not.toContain(absent);
    expect(job.post.exitCode).toBe(0);
    expect(await tagDigests()).toEqual(before);
    expect(Object.keys(before)).toContain('main');
  });

  it('prints the stack trace only with step debugging on', async () => {
    const job = await runJob({
      bundles,
      workspace: project.dir,
      event: branchPush(project.sha),
      inputs: { push: 'sometimes', cache: 'false' },
      repository,
      apiUrl: api.url,
      env: { RUNNER_DEBUG: '1' },
    });
    expect(job.main.errors).toHaveLength(1);
    expect(job.main.log).toMatch(/^::debug::\w*InputError: input 'push'.*%0A {4}at /m);
  });
});

describe('without root', () => {
  it('main fails with one line listing the ways to get root; post only warns', async () => {
    const job = await runJob({
      bundles,
      workspace: project.dir,
      event: branchPush(project.sha),
      inputs: { registry: registry.host, cache: 'false' },
      repository,
      apiUrl: api.url,
      user: { uid: 65534, gid: 65534 },
    });
    expect(job.main.exitCode).toBe(1);
    expect(job.main.errors).toEqual([
      expect.stringMatching(
        /^building needs root \(overlay mounts and namespaces for RUN steps\), and sudo (is not installed|needs a password)[^:]*: run as root, allow passwordless sudo for this user/,
      ),
    ]);
    expect({ exit: job.post.exitCode, errors: job.post.errors }).toEqual({ exit: 0, errors: [] });
    expect(job.post.warnings).toEqual([expect.stringMatching(/^post step skipped: building needs root/)]);
  });
});
