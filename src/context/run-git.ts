/** The real RunGit: `git` from PATH through execFile, output as UTF-8, never rejecting on a non-zero exit. */
import { execFile } from 'node:child_process';
import type { GitCommandResult, RunGit } from './git.js';

/** Exit code reported when git itself cannot be started (not installed, not on PATH). */
export const gitNotRunnable = 127;

export const runGit: RunGit = (args) =>
  new Promise<GitCommandResult>((resolve) => {
    execFile('git', [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) {
        resolve({ stdout, stderr, code: 0 });
        return;
      }
      const code = typeof err.code === 'number' ? err.code : gitNotRunnable;
      resolve({ stdout, stderr: stderr || err.message, code });
    });
  });
