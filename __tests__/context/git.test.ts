/**
 * Git facts from real temporary repositories, read through the real `git` (run-git.ts): sha, branch or
 * detached HEAD, tags at HEAD, committer time, dirty state, origin URL without credentials; undefined outside a
 * repository, and a warning when git refuses a repository it does not trust.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/log.js';
import { readGitFacts, withoutCredentials, type RunGit } from '../../src/context/git.js';
import { runGit } from '../../src/context/run-git.js';
import { removeTree, tempDir } from './tree.js';

const committed = 1_700_000_000;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: `@${committed - 3600} +0000`,
      GIT_COMMITTER_DATE: `@${committed} +0200`,
    },
  }).trim();
}

/** A repository on branch main with one commit of a.txt and a .gitignore for *.log. */
function makeRepo(): string {
  const dir = tempDir('git-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  writeFileSync(join(dir, '.gitignore'), '*.log\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

describe('readGitFacts', () => {
  let repo: string;
  beforeEach(() => {
    repo = makeRepo();
  });
  afterEach(() => removeTree(repo));

  it('reads a clean branch checkout', async () => {
    expect(await readGitFacts(repo, runGit)).toEqual({
      sha: git(repo, 'rev-parse', 'HEAD'),
      head: { kind: 'branch', name: 'main', ref: 'refs/heads/main' },
      tags: [],
      commitTime: committed,
      dirty: false,
      remoteUrl: undefined,
    });
  });

  it.each([
    {
      name: 'a modified tracked file',
      given: (d: string) => writeFileSync(join(d, 'a.txt'), 'changed\n'),
      want: true,
    },
    { name: 'an untracked file', given: (d: string) => writeFileSync(join(d, 'new.txt'), 'n\n'), want: true },
    {
      name: 'a staged file',
      given: (d: string) => (writeFileSync(join(d, 's'), 's'), git(d, 'add', 's')),
      want: true,
    },
    {
      name: 'only an ignored file',
      given: (d: string) => writeFileSync(join(d, 'debug.log'), 'x\n'),
      want: false,
    },
  ])('dirty is $want with $name', async ({ given, want }) => {
    given(repo);
    expect((await readGitFacts(repo, runGit))?.dirty).toBe(want);
  });

  it('lists the tags at HEAD, annotated and lightweight, but not older ones', async () => {
    git(repo, 'tag', 'v0.9.0');
    writeFileSync(join(repo, 'a.txt'), 'b\n');
    git(repo, 'commit', '-q', '-am', 'second');
    git(repo, 'tag', '-a', 'v1.0.0', '-m', 'release');
    git(repo, 'tag', 'latest');
    expect((await readGitFacts(repo, runGit))?.tags).toEqual(['latest', 'v1.0.0']);
  });

  it('reports a detached HEAD', async () => {
    git(repo, 'checkout', '-q', '--detach');
    expect((await readGitFacts(repo, runGit))?.head).toEqual({ kind: 'detached' });
  });

  it('reads the repository from a subdirectory', async () => {
    mkdirSync(join(repo, 'sub'));
    expect((await readGitFacts(join(repo, 'sub'), runGit))?.commitTime).toBe(committed);
  });

  it('strips credentials from the origin URL', async () => {
    git(repo, 'remote', 'add', 'origin', 'https://x-access-token:ghs_secret@github.com/acme/app.git');
    expect((await readGitFacts(repo, runGit))?.remoteUrl).toBe('https://github.com/acme/app.git');
  });
});

describe('readGitFacts outside a usable repository', () => {
  it('is undefined outside a repository', async () => {
    const dir = tempDir('nogit-');
    expect(await readGitFacts(dir, runGit)).toBeUndefined();
    removeTree(dir);
  });

  it('is undefined before the first commit', async () => {
    const dir = tempDir('git-');
    git(dir, 'init', '-q');
    expect(await readGitFacts(dir, runGit)).toBeUndefined();
    removeTree(dir);
  });

  it('is undefined when git is missing', async () => {
    const missing: RunGit = async () => ({ stdout: '', code: 127, stderr: 'spawn git ENOENT' });
    expect(await readGitFacts('/tmp', missing)).toBeUndefined();
  });

  it('warns when git refuses a repository owned by someone else', async () => {
    const dir = makeRepo();
    execFileSync('chown', ['-R', '4321:4321', dir]);
    chownSync(dir, 4321, 4321);
    const isolated: RunGit = (args) => runGit(['-c', 'safe.directory=', ...args]);
    const log = new MemoryLogger();
    expect(await readGitFacts(dir, isolated, log)).toBeUndefined();
    expect(log.text('warn')).toMatch(/dubious ownership/);
    expect(log.text('warn')).toMatch(/safe\.directory/);
    removeTree(dir);
  });
});

describe('withoutCredentials', () => {
  it.each([
    { name: 'https token', given: 'https://user:tok@example.com/r.git', want: 'https://example.com/r.git' },
    { name: 'https user only', given: 'https://user@example.com/r.git', want: 'https://example.com/r.git' },
    {
      name: 'ssh keeps the user',
      given: 'ssh://git:pw@example.com/r.git',
      want: 'ssh://git@example.com/r.git',
    },
    {
      name: 'scp-style is unchanged',
      given: 'git@github.com:acme/app.git',
      want: 'git@github.com:acme/app.git',
    },
    { name: 'plain https', given: 'https://github.com/acme/app', want: 'https://github.com/acme/app' },
  ])('$name', ({ given, want }) => {
    expect(withoutCredentials(given)).toBe(want);
  });
});
