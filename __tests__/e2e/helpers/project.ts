/**
 * The example project the e2e runs build: a git checkout with a Dockerfile over a busybox userland copied from
 * the host (no base image to pull), a build arg, a build secret, and a file from the context.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBusyboxRootfs } from '../../helpers/busybox-rootfs.js';

export const exampleDockerfile = [
  'FROM scratch',
  'COPY rootfs/ /',
  'ARG GREETING=hello',
  'RUN --mount=type=secret,id=token echo "$GREETING, secret of $(cat /run/secrets/token 2>/dev/null | wc -c) bytes" > /greeting',
  'COPY app.txt /app/',
  'CMD ["cat", "/app/app.txt"]',
  '',
].join('\n');

export interface Project {
  readonly dir: string;
  /** The commit's sha (GITHUB_SHA). */
  readonly sha: string;
  /** Committer time in unix seconds: the SOURCE_DATE_EPOCH the action should use. */
  readonly commitTime: number;
  cleanup(): void;
}

export const commitDate = '2024-05-01T12:00:00Z';

export function makeProject(files: Readonly<Record<string, string>> = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'ib-e2e-project-'));
  writeBusyboxRootfs(join(dir, 'rootfs'));
  writeFileSync(join(dir, 'Dockerfile'), exampleDockerfile);
  writeFileSync(join(dir, 'app.txt'), 'hello from the example app\n');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        GIT_AUTHOR_NAME: 'Octo Cat',
        GIT_AUTHOR_EMAIL: 'octo@example.com',
        GIT_COMMITTER_NAME: 'Octo Cat',
        GIT_COMMITTER_EMAIL: 'octo@example.com',
        GIT_AUTHOR_DATE: commitDate,
        GIT_COMMITTER_DATE: commitDate,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: dir,
      },
    }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'example');
  return {
    dir,
    sha: git('rev-parse', 'HEAD'),
    commitTime: Date.parse(commitDate) / 1000,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
