/**
 * Facts about the git checkout a build runs from: HEAD's sha, branch or detached state, tags at HEAD, committer
 * time (the builder's SOURCE_DATE_EPOCH), whether the working tree is dirty, and origin's URL. `git` runs through
 * a function passed in (see run-git.ts for the real one), so this module stays pure and testable.
 */
import type { Logger } from '../log.js';

export interface GitCommandResult {
  readonly stdout: string;
  readonly code: number;
  readonly stderr?: string;
}

/** Runs `git <args>` and resolves with its output and exit code (never rejects for a non-zero exit). */
export type RunGit = (args: readonly string[]) => Promise<GitCommandResult>;

export type GitHead =
  { readonly kind: 'branch'; readonly name: string; readonly ref: string } | { readonly kind: 'detached' };

export interface GitFacts {
  /** The full sha of HEAD. */
  readonly sha: string;
  readonly head: GitHead;
  /** Tags that point at HEAD, in git's (refname) order. */
  readonly tags: readonly string[];
  /** HEAD's committer date in unix seconds. */
  readonly commitTime: number;
  /** True when tracked files differ from HEAD or untracked, non-ignored files exist. */
  readonly dirty: boolean;
  /** `remote.origin.url` with any user name or password removed. */
  readonly remoteUrl: string | undefined;
}

/**
 * Reads the git facts of `dir`. Undefined when `dir` is not inside a git work tree or HEAD has no commit yet;
 * a repository git refuses to read (e.g. "dubious ownership") is logged as a warning and also gives undefined.
 */
export async function readGitFacts(dir: string, runGit: RunGit, log?: Logger): Promise<GitFacts | undefined> {
  const git = (...args: string[]): Promise<GitCommandResult> => runGit(['-C', dir, ...args]);
  const inside = await git('rev-parse', '--is-inside-work-tree');
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
    if (inside.stderr?.includes('dubious ownership')) {
      log?.warn(`git refuses to read ${dir} (dubious ownership); tags and labels will not use git facts`);
      log?.warn(`run: git config --global --add safe.directory ${JSON.stringify(dir)}`);
    }
    return undefined;
  }
  const commit = await git('-c', 'log.showSignature=false', 'show', '-s', '--format=%H %ct', 'HEAD');
  const match = /^([0-9a-f]{40,64}) (\d+)$/.exec(commit.stdout.trim());
  if (commit.code !== 0 || !match) return undefined;
  const [symbolic, tags, status, remote] = await Promise.all([
    git('symbolic-ref', '-q', 'HEAD'),
    git('tag', '--points-at', 'HEAD'),
    git('--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal'),
    git('config', '--get', 'remote.origin.url'),
  ]);
  return {
    sha: match[1] as string,
    head: parseHead(symbolic),
    tags: tags.code === 0 ? lines(tags.stdout) : [],
    commitTime: Number(match[2]),
    dirty: status.code !== 0 || lines(status.stdout).length > 0,
    remoteUrl:
      remote.code === 0 && remote.stdout.trim() !== '' ? withoutCredentials(remote.stdout.trim()) : undefined,
  };
}

function parseHead(symbolic: GitCommandResult): GitHead {
  const ref = symbolic.stdout.trim();
  if (symbolic.code !== 0 || !ref.startsWith('refs/heads/')) return { kind: 'detached' };
  return { kind: 'branch', name: ref.slice('refs/heads/'.length), ref };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/**
 * Removes credentials from a remote URL so tokens never reach labels or logs: http(s) URLs lose their whole
 * `user:password@` part, other URLs (ssh://git@…) only the password; scp-style `git@host:path` is unchanged.
 */
export function withoutCredentials(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/@]*)@(.*)$/i.exec(url);
  if (!m) return url;
  const [, scheme = '', userinfo = '', rest = ''] = m;
  if (/^https?$/i.test(scheme)) return `${scheme}://${rest}`;
  const user = userinfo.split(':')[0] ?? '';
  return `${scheme}://${user === '' ? '' : `${user}@`}${rest}`;
}
