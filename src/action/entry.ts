/**
 * Both entry points start here: the builder needs root, and GitHub-hosted runners run actions as a user with
 * passwordless sudo, so a non-root main/post runs itself again under `sudo -n -E` and exits with its code.
 */
import * as core from '@actions/core';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { detectRootAccess, noRootMessage, rerunUnderSudo } from '../build/rootfs/run-as-root.js';
import { sudoMarker } from './names.js';

export type EntryKind = 'main' | 'post';

export async function runEntry(kind: EntryKind, run: () => Promise<void>): Promise<void> {
  const uid = process.getuid?.() ?? -1;
  if (uid === 0) return run();
  if (process.env[sudoMarker] !== undefined) {
    return refuse(kind, 'the copy started under sudo is still not root');
  }
  const access = detectRootAccess(uid);
  if (access.kind === 'none') return refuse(kind, access.reason);
  // The sudo'd copy must find the same Docker config (docker/login-action's credentials) even if HOME changes.
  process.env['DOCKER_CONFIG'] ||= join(homedir(), '.docker');
  core.debug(`not root: running the ${kind} step again under sudo`);
  process.exitCode = await rerunUnderSudo(process.argv.slice(1), sudoMarker);
}

/** Main fails with the reason; post only warns (it must never fail the job). */
function refuse(kind: EntryKind, reason: string): void {
  if (kind === 'main') core.setFailed(noRootMessage(reason));
  else core.warning(`post step skipped: ${noRootMessage(reason)}`);
}
