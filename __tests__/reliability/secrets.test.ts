/**
 * Secrets never leak: the bundled action (dist/main + dist/post, as the runner runs them) builds and pushes a
 * pull request's image with a registry password, a GitHub token, and three build secrets used by
 * `RUN --mount=type=secret` (a file, an environment variable, a NAME=value; one exposed to the RUN as an env
 * variable), with step debugging on (RUNNER_DEBUG=1), the local cache backend and an OCI export. Then every
 * artefact is searched for every secret (raw, base64, and base64 of user:password):
 *
 * the main and post logs (except the `::add-mask::` commands that register them — asserted present), the file
 * commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH), the PR comment and
 * every GitHub API request body, the registry's whole storage (layers decompressed: image config, history,
 * manifests, cache artefacts), the OCI export, the cache directory (packs and gzip'd indexes), the work
 * directory between main and post (store, step cache, slots, session file), the runner's temp and home
 * directories after post, and the command lines of every process while main runs.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { actionBundles, type ActionBundles } from '../e2e/helpers/bundle.js';
import { pullRequest, repository } from '../e2e/helpers/events.js';
import { startGithubApi, type GithubApi } from '../e2e/helpers/github-api.js';
import { makeProject, type Project } from '../e2e/helpers/project.js';
import { runJob, type JobResult } from '../e2e/helpers/runner.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import {
  findInBytes,
  findInProcesses,
  findInTree,
  type Finding,
  type Secret,
} from '../helpers/reliability-secrets.js';

jest.setTimeout(600_000);

const token = (prefix: string): string => `${prefix}${randomBytes(18).toString('hex')}`;
const githubToken = token('ghs_');
const fileSecret = token('file-secret-');
const envSecret = token('env-secret-');
const valueSecret = token('value-secret-');

const dockerfile = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN --mount=type=secret,id=filesecret --mount=type=secret,id=envsecret,env=ENV_SECRET --mount=type=secret,id=kvsecret \\',
  '    sh -c \'sha256sum < /run/secrets/filesecret > /proof && printf %s "$ENV_SECRET" | sha256sum >> /proof && sha256sum < /run/secrets/kvsecret >> /proof && echo secrets used\'',
  'COPY app.txt /app/',
  '',
].join('\n');

let bundles: ActionBundles;
let registry: TestRegistry;
let api: GithubApi;
let project: Project;
let scratch: string;
let secrets: Secret[];
let job: JobResult;
const workDirFindings: Finding[] = [];
const processFindings: Finding[] = [];

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject({ Dockerfile: dockerfile });
  scratch = mkdtempSync(join(tmpdir(), 'ib-rel-secrets-'));
  const secretFile = join(scratch, 'input', 'file-secret.txt');
  execFileSync('mkdir', ['-p', join(scratch, 'input')]);
  writeFileSync(secretFile, fileSecret);
  secrets = [
    {
      name: 'registry password',
      value: registry.password!,
      forms: [Buffer.from(`${registry.username}:${registry.password}`).toString('base64')],
    },
    { name: 'GitHub token', value: githubToken },
    { name: 'file build secret', value: fileSecret },
    { name: 'env build secret', value: envSecret },
    { name: 'NAME=value build secret', value: valueSecret },
  ];
  let polls = 0;
  job = await runJob({
    bundles,
    workspace: project.dir,
    event: pullRequest(project.sha, 31, repository),
    inputs: {
      registry: registry.host,
      username: registry.username!,
      password: registry.password!,
      'github-token': githubToken,
      secrets: [
        `id=filesecret,src=${secretFile}`,
        'id=envsecret,env=MY_ENV_SECRET',
        `kvsecret=${valueSecret}`,
      ].join('\n'),
      'cache-backend': 'local',
      'cache-path': join(scratch, 'cache'),
      outputs: `oci:${join(scratch, 'export')}`,
    },
    env: { RUNNER_DEBUG: '1', MY_ENV_SECRET: envSecret },
    repository,
    apiUrl: api.url,
    token: githubToken,
    watchMain: () => {
      // the command lines of every process, sampled while main runs
      if (polls++ % 4 === 0) processFindings.push(...findInProcesses(secrets));
    },
    afterMain: (_main, runnerTemp) => {
      workDirFindings.push(...findInTree(join(runnerTemp, 'image-build'), secrets));
    },
  });
}, 600_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), api?.stop(), bundles?.cleanup()]);
  project?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('secrets through the bundled action with debug logging', () => {
  it('the job succeeds and the secrets reached the RUN step (the search is not vacuous)', () => {
    expect({
      main: job.main.exitCode,
      post: job.post.exitCode,
      errors: [...job.main.errors, ...job.post.errors],
    }).toEqual({
      main: 0,
      post: 0,
      errors: [],
    });
    expect(job.main.log).toContain('::debug::');
    expect(job.main.log).toContain('secrets used');
    const layout = join(scratch, 'export');
    const bundle = join(scratch, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:pr-31`, bundle], { stdio: 'pipe' });
    const sha = (s: string): string => execFileSync('sha256sum', { input: s, encoding: 'utf8' });
    expect(readFileSync(join(bundle, 'rootfs', 'proof'), 'utf8')).toBe(
      sha(fileSecret) + sha(envSecret) + sha(valueSecret),
    );
    expect(api.comments.get(`${repository}#31`)).toHaveLength(1);
  });

  it('every secret is registered with ::add-mask:: (the runner masks it if a RUN prints it)', () => {
    const masks = job.main.log.split('\n').filter((l) => l.startsWith('::add-mask::'));
    for (const s of secrets)
      expect({ secret: s.name, masked: masks.some((m) => m.includes(s.value)) }).toEqual({
        secret: s.name,
        masked: true,
      });
  });

  it('the logs, outputs, state, summaries and PR comment carry none', () => {
    const log = (l: string): string =>
      l
        .split('\n')
        .filter((x) => !x.startsWith('::add-mask::'))
        .join('\n');
    const texts: Record<string, string> = {
      'main log': log(job.main.log),
      'post log': log(job.post.log),
      'main outputs': JSON.stringify(job.main.outputs),
      'main state': JSON.stringify(job.main.state),
      'main summary': job.main.summary,
      'post outputs': JSON.stringify(job.post.outputs),
      'post summary': job.post.summary,
      'PR comment': JSON.stringify([...api.comments.values()]),
      'GitHub API request bodies': JSON.stringify(api.calls.map((c) => c.body)),
    };
    const found = Object.entries(texts).flatMap(([where, text]) =>
      findInBytes(text, secrets).map((secret) => ({ where, secret })),
    );
    expect(found).toEqual([]);
  });

  it('the registry storage (image and cache blobs, decompressed), the export and the cache directory carry none', () => {
    expect(findInTree(registry.storageDir, secrets)).toEqual([]);
    expect(findInTree(join(scratch, 'export'), secrets)).toEqual([]);
    expect(findInTree(join(scratch, 'cache'), secrets)).toEqual([]);
  });

  it('the work directory between main and post (store, step cache, slots, session) carries none', () => {
    expect(workDirFindings).toEqual([]);
  });

  it("the runner's directories after post (file commands, temp, home) carry none", () => {
    // runJob's runner root: temp/, home/, main/ and post/ (GITHUB_OUTPUT, _STATE, _STEP_SUMMARY, _ENV, _PATH)
    expect(findInTree(join(job.runnerTemp, '..'), secrets)).toEqual([]);
  });

  it('no process command line carried one while main ran', () => {
    expect(processFindings).toEqual([]);
  });
});
