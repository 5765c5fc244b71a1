/**
 * The cross-run cache end to end through dist/ (the bundled action: main, then post, as the runner runs them),
 * each job on a fresh runner directory with the local backend carrying the cache: an unchanged commit runs no
 * RUN and saves nothing; a changed source file runs only the steps from its COPY on and saves only their
 * layers; a damaged pack is detected, discarded and its step rebuilt with a warning.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { actionBundles, type ActionBundles } from '../e2e/helpers/bundle.js';
import { branchPush, repository } from '../e2e/helpers/events.js';
import { commitDate, makeProject, type Project } from '../e2e/helpers/project.js';
import { runJob, type JobResult } from '../e2e/helpers/runner.js';

jest.setTimeout(600_000);

const dockerfile = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo base > /base',
  'COPY app.txt /app/',
  'RUN cp /app/app.txt /app/copy',
  '',
].join('\n');

let bundles: ActionBundles;
let project: Project;
let cacheDir: string;

beforeAll(async () => {
  bundles = await actionBundles();
}, 600_000);
afterAll(() => bundles?.cleanup());
beforeEach(() => {
  project = makeProject({ Dockerfile: dockerfile, 'app.txt': 'v1\n' });
  cacheDir = mkdtempSync(join(tmpdir(), 'ib-cache-e2e-'));
});
afterEach(() => {
  project.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** A new commit with the same commit time (SOURCE_DATE_EPOCH stays, so only the file's steps change). */
function commit(file: string, content: string): string {
  writeFileSync(join(project.dir, file), content);
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: project.dir,
    GIT_AUTHOR_NAME: 'Octo Cat',
    GIT_AUTHOR_EMAIL: 'octo@example.com',
    GIT_COMMITTER_NAME: 'Octo Cat',
    GIT_COMMITTER_EMAIL: 'octo@example.com',
    GIT_AUTHOR_DATE: commitDate,
    GIT_COMMITTER_DATE: commitDate,
  };
  execFileSync('git', ['-C', project.dir, 'commit', '-qam', `change ${file}`], { env });
  return execFileSync('git', ['-C', project.dir, 'rev-parse', 'HEAD'], { env, encoding: 'utf8' }).trim();
}

function job(sha: string): Promise<JobResult> {
  return runJob({
    bundles,
    workspace: project.dir,
    event: branchPush(sha),
    inputs: {
      images: 'localhost/cache-e2e',
      push: 'false',
      'cache-backend': 'local',
      'cache-path': cacheDir,
    },
    repository,
    apiUrl: 'http://127.0.0.1:9',
  });
}

interface StepMeta {
  instruction: string;
  status: string;
  reason?: { kind: string; changed?: string[] };
  layer?: { digest: string };
}
const steps = (j: JobResult): StepMeta[] =>
  (JSON.parse(j.main.outputs['metadata']!) as Record<string, StepMeta[]>)['image-build.steps']!.filter(
    (s) => s.status !== 'config',
  );
const ran = (j: JobResult): string[] =>
  steps(j)
    .filter((s) => s.status === 'built')
    .map((s) => s.instruction);
const entries = (): string[] => readdirSync(join(cacheDir, 'entries')).sort();

function ok(j: JobResult): void {
  expect({
    main: j.main.exitCode,
    post: j.post.exitCode,
    errors: [...j.main.errors, ...j.post.errors],
  }).toEqual({
    main: 0,
    post: 0,
    errors: [],
  });
}

describe('cross-run cache through dist/', () => {
  it('two runs on one commit: the second runs no RUN step and saves nothing new', async () => {
    const first = await job(project.sha);
    ok(first);
    expect(ran(first)).toHaveLength(4);
    const saved = entries();
    expect(saved.map((e) => e.split('-')[2])).toEqual(['index', 'pack']);

    const second = await job(project.sha);
    ok(second);
    expect(ran(second)).toEqual([]);
    expect(second.main.outputs['digest']).toBe(first.main.outputs['digest']);
    expect(entries()).toEqual(saved);
  });

  it('one changed source file: only the steps from its COPY on run, and only their layers are saved', async () => {
    ok(await job(project.sha));
    const before = entries();
    const changed = await job(commit('app.txt', 'v2\n'));
    ok(changed);
    expect(ran(changed)).toEqual(['COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy']);
    expect(steps(changed).find((s) => s.instruction === 'COPY app.txt /app/')!.reason).toEqual({
      kind: 'inputs-changed',
      changed: ['files'],
    });
    const added = entries().filter((e) => !before.includes(e));
    expect(added.map((e) => e.split('-')[2]).sort()).toEqual(['index', 'pack']);
    const pack = added.find((e) => e.startsWith('image-build-pack-'))!;
    const blobs = readdirSync(join(cacheDir, 'entries', pack)).filter((f) => /^[0-9a-f]{64}$/.test(f));
    const builtLayers = steps(changed)
      .filter((s) => s.status === 'built')
      .map((s) => s.layer!.digest.slice(7));
    expect(blobs.sort()).toEqual(builtLayers.sort());
  });

  const damages = [
    {
      name: 'corrupted',
      damage: (f: string) => {
        const b = readFileSync(f);
        b[b.length >> 1] = b[b.length >> 1]! ^ 0xff;
        writeFileSync(f, b);
      },
    },
    { name: 'truncated', damage: (f: string) => truncateSync(f, statSync(f).size >> 1) },
  ];
  it.each(damages)(
    'a $name pack: detected by digest, discarded, the step rebuilt, a warning',
    async ({ damage }) => {
      const first = await job(project.sha);
      ok(first);
      const pack = entries().find((e) => e.startsWith('image-build-pack-'))!;
      const rootfs = steps(first)[0]!.layer!.digest.slice(7);
      damage(join(cacheDir, 'entries', pack, rootfs));
      const next = await job(commit('app.txt', 'v3\n'));
      ok(next);
      expect(next.main.warnings.join('\n')).toMatch(new RegExp(`cache entry ${pack} is unusable`));
      expect(ran(next)).toEqual(['COPY rootfs/ /', 'COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy']);
      // the bad pack is no longer referenced and deleted; the next run on this commit is fully cached
      expect(entries()).not.toContain(pack);
      const again = await job(
        execFileSync('git', ['-C', project.dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
      );
      ok(again);
      expect(ran(again)).toEqual([]);
    },
  );
});
