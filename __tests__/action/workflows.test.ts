/**
 * The repository's own workflows: release.yml's major-tag script runs here against real git repositories (a
 * clone and its bare origin); e2e.yml runs the action from the repository with inputs action.yml declares.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionYml } from './action-yml.js';

const workflows = join(import.meta.dirname, '..', '..', '.github', 'workflows');

/** The lines between `# NAME:start` and `# NAME:end`, dedented. */
function scriptBlock(file: string, name: string): string {
  const lines = readFileSync(join(workflows, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `# ${name}:start`);
  const end = lines.findIndex((l) => l.trim() === `# ${name}:end`);
  if (start < 0 || end < start) throw new Error(`${file} has no ${name} block`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

describe('release.yml: moving the major tag', () => {
  const script = scriptBlock('release.yml', 'move-major-tag');
  let dir: string;
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'r',
    GIT_AUTHOR_EMAIL: 'r@example.com',
    GIT_COMMITTER_NAME: 'r',
    GIT_COMMITTER_EMAIL: 'r@example.com',
  };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  const release = (tag: string): string =>
    execFileSync('bash', ['-c', script], {
      cwd: join(dir, 'clone'),
      env: { ...env, TAG: tag },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  /** Where origin's tag points (the release job pushes there); undefined when origin has no such tag. */
  const remoteTag = (tag: string): string | undefined => {
    const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], {
      cwd: join(dir, 'origin.git'),
      env,
      encoding: 'utf8',
    });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ib-release-'));
    git(dir, 'init', '-q', '--bare', 'origin.git');
    git(dir, 'init', '-q', '-b', 'main', 'clone');
    const clone = join(dir, 'clone');
    git(clone, 'remote', 'add', 'origin', join(dir, 'origin.git'));
    for (const tag of ['v1.2.3', 'v1.3.0', 'v1.2.4', 'v2.0.0-rc.1', 'v10.0.0']) {
      git(clone, 'commit', '-q', '--allow-empty', '-m', tag);
      git(clone, 'tag', '-a', tag, '-m', tag);
    }
    git(clone, 'push', '-q', 'origin', 'HEAD:refs/heads/main', '--tags');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const commitOf = (tag: string): string => git(join(dir, 'clone'), 'rev-parse', `${tag}^{commit}`);

  it.each([
    {
      name: 'the highest 1.x moves v1 to it',
      given: 'v1.3.0',
      want: { tag: 'v1', to: 'v1.3.0', notice: /v1 now points at v1\.3\.0/ },
    },
    {
      name: 'a backport after it leaves v1 alone',
      given: 'v1.2.4',
      want: {
        tag: 'v1',
        to: 'v1.3.0',
        notice: /v1\.2\.4 is not the highest v1 release \(v1\.3\.0 is\): v1 stays/,
      },
    },
    {
      name: 'a prerelease moves nothing',
      given: 'v2.0.0-rc.1',
      want: { tag: 'v2', to: undefined, notice: /not a stable vMAJOR\.MINOR\.PATCH release/ },
    },
    {
      name: 'v10 is not v1',
      given: 'v10.0.0',
      want: { tag: 'v10', to: 'v10.0.0', notice: /v10 now points at v10\.0\.0/ },
    },
  ])('$name', ({ given, want }) => {
    expect(release(given)).toMatch(want.notice);
    expect(remoteTag(want.tag)).toBe(want.to === undefined ? undefined : commitOf(want.to));
    if (given === 'v10.0.0') expect(remoteTag('v1')).toBe(commitOf('v1.3.0'));
  });
});

describe('e2e.yml', () => {
  const text = readFileSync(join(workflows, 'e2e.yml'), 'utf8');
  const declared = new Set(readActionYml().inputs.map((i) => i.name));

  /** `with:` keys of every `uses: ./` step. */
  function localStepInputs(): string[][] {
    const lines = text.split('\n');
    const steps: string[][] = [];
    lines.forEach((line, i) => {
      if (!/^\s+uses: \.\/$/.test(line)) return;
      const stepIndent = line.length - line.trimStart().length;
      const keys: string[] = [];
      let inWith = false;
      for (const next of lines.slice(i + 1)) {
        const indent = next.length - next.trimStart().length;
        if (next.trim() === '') continue;
        if (indent < stepIndent || next.trimStart().startsWith('- ')) break;
        if (indent === stepIndent) inWith = next.trim() === 'with:';
        else if (inWith && indent === stepIndent + 2) keys.push(next.trim().split(':')[0]!);
      }
      steps.push(keys);
    });
    return steps;
  }

  it('runs on push and pull_request with a registry:2 service', () => {
    expect(text).toMatch(/^on:\n {2}push:\n {2}pull_request:\n/m);
    expect(text).toMatch(/services:\n {6}registry:\n {8}image: registry:2\n/);
  });

  it('uses the action from the repository twice, with declared inputs only', () => {
    const steps = localStepInputs();
    expect(steps).toHaveLength(2);
    for (const keys of steps) {
      expect(keys).toContain('context');
      for (const key of keys) expect(declared).toContain(key);
    }
  });
});
