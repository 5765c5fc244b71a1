/**
 * Build inputs through dist/: a base image from the same registry (its layers, never unpacked by a config-only
 * build, are fetched for the push and mounted across repositories), a multi-stage target from another
 * Dockerfile with push: false, and rules that yield no tag (a warning, nothing pushed).
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const multiStage = [
  'FROM scratch AS base',
  'COPY rootfs/ /',
  'FROM base AS builder',
  'RUN echo builder > /stage',
  'FROM base',
  'RUN echo final > /stage',
  '',
].join('\n');

beforeAll(async () => {
  [bundles, registry, api] = await Promise.all([
    actionBundles(),
    startRegistry({ auth: 'htpasswd' }),
    startGithubApi(),
  ]);
  project = makeProject({
    'Multi.Dockerfile': multiStage,
    'FromBase.Dockerfile': 'ARG BASE\nFROM $BASE\nCMD ["cat", "/greeting"]\n',
  });
  view = new RegistryView(registry);
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

describe('build inputs through dist/', () => {
  it('FROM a base image on the same registry: its layers are mounted, not uploaded again', async () => {
    const base = await run({ images: `${registry.host}/base/busybox`, tags: 'type=raw,value=1' });
    expect(base.main.errors).toEqual([]);
    const job = await run({
      file: 'FromBase.Dockerfile',
      'build-args': `BASE=${registry.host}/base/busybox:1`,
      tags: 'type=raw,value=from-base',
    });
    expect(job.main.errors).toEqual([]);
    const push = JSON.parse(job.main.outputs['metadata']!)['image-build.push'];
    const baseLayers = JSON.parse(base.main.outputs['metadata']!)['image-build.steps'].filter(
      (s: { layer?: unknown }) => s.layer,
    ).length;
    expect(push.blobs.mounted.count).toBe(baseLayers);
    expect(push.blobs.uploaded.count).toBe(1); // the config: the manifest is not a blob
    expect(await view.digest('octo-org/hello-app', 'from-base')).toBe(job.main.outputs['digest']);
  });

  it('another Dockerfile, a multi-stage target, push: false: the target stage is built and kept', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ib-e2e-target-'));
    try {
      const writes = view.requests().writes;
      const job = await run({
        file: 'Multi.Dockerfile',
        target: 'builder',
        push: 'false',
        tags: 'type=raw,value=target',
        outputs: `oci:${out}/layout\noci-archive:${out}/image.tar`,
      });
      expect(job.main.errors).toEqual([]);
      expect(view.requests().writes).toBe(writes);
      expect(job.main.summary).toContain('| Push | not pushed: the push input is false |');
      execFileSync('umoci', ['unpack', '--image', `${out}/layout:target`, `${out}/bundle`]);
      expect(readFileSync(`${out}/bundle/rootfs/stage`, 'utf8')).toBe('builder\n');
      const archived = execFileSync('skopeo', [
        'inspect',
        '--format',
        '{{.Digest}}',
        `oci-archive:${out}/image.tar:target`,
      ]);
      expect(archived.toString().trim()).toBe(job.main.outputs['digest']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('full references in tags (build-push-action style) and annotations on the manifest', async () => {
    const job = await run({
      tags: `${registry.host}/team/app:v1\n${registry.host}/team/app:stable`,
      annotations: 'org.example.team=platform',
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.outputs['version']).toBe('v1');
    expect(job.main.outputs['tags']).toBe(`${registry.host}/team/app:v1\n${registry.host}/team/app:stable`);
    expect(await view.tags('team/app')).toEqual(['stable', 'v1']);
    const manifest = JSON.parse(
      execFileSync(
        'skopeo',
        ['inspect', '--raw', ...registry.skopeoArgs(), `docker://${registry.host}/team/app:v1`],
        {
          encoding: 'utf8',
        },
      ),
    ) as { annotations?: Record<string, string> };
    expect(manifest.annotations).toMatchObject({
      'org.example.team': 'platform',
      'org.opencontainers.image.version': 'v1',
      'org.opencontainers.image.created': '2024-05-01T12:00:00.000Z',
    });
  });

  it('rules that yield no tag: a warning, a build, nothing pushed', async () => {
    const writes = view.requests().writes;
    const job = await run({ tags: 'type=ref,event=tag' });
    expect({ exit: job.main.exitCode, errors: job.main.errors }).toEqual({ exit: 0, errors: [] });
    expect(job.main.warnings).toContain(
      'No image tag was generated, so nothing will be pushed. Check the tags input.',
    );
    expect(view.requests().writes).toBe(writes);
    expect(job.main.outputs['digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(job.main.summary).toContain('| Push | not pushed: no tag was generated |');
  });
});
