/**
 * Both entry points start here: the builder needs root, and GitHub-hosted runners run actions as a user with
 * passwordless sudo, so a non-root main/post runs itself again under `sudo -n -E` (or, without sudo, as
 * "root" of a user namespace when the user has a /etc/subuid range) and exits with its code.
 */
import * as core from '@actions/core';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { rootPrivilege, usernsPrivilege, type Privilege } from '../build/rootfs/privilege.js';
import {
  detectRootAccess,
  noRootMessage,
  rerunInUserNamespace,
  rerunUnderSudo,
} from '../build/rootfs/run-as-root.js';
import { sudoMarker } from './names.js';
import type { Env } from './run-context.js';

export type EntryKind = 'main' | 'post';

export async function runEntry(kind: EntryKind, run: () => Promise<void>): Promise<void> {
  const uid = process.getuid?.() ?? -1;
  if (uid === 0) return run();
  if (process.env[sudoMarker] !== undefined) {
    return refuse(
      kind,
      `the copy started with ${process.env[sudoMarker] === 'userns' ? 'a user namespace' : 'sudo'} is still not root`,
    );
  }
  const access = detectRootAccess(uid);
  if (access.kind === 'none') return refuse(kind, access.reason);
  if (access.kind === 'root') return run();
  // The re-run must find the same Docker config (docker/login-action's credentials) even if HOME changes.
  process.env['DOCKER_CONFIG'] ||= join(homedir(), '.docker');
  core.debug(
    `not root: running the ${kind} step again ${access.kind === 'sudo' ? 'under sudo' : 'in a user namespace'}`,
  );
  const argv = process.argv.slice(1);
  process.exitCode =
    access.kind === 'sudo'
      ? await rerunUnderSudo(argv, sudoMarker)
      : await rerunInUserNamespace(argv, sudoMarker);
}

/** How the root copy reaches root: really, or inside a user namespace (rootless). */
export function privilegeOf(env: Env): Privilege {
  return env[sudoMarker] === 'userns' ? usernsPrivilege : rootPrivilege;
}

/** Main fails with the reason; post only warns (it must never fail the job). */
function refuse(kind: EntryKind, reason: string): void {
  if (kind === 'main') core.setFailed(noRootMessage(reason));
  else core.warning(`post step skipped: ${noRootMessage(reason)}`);
}
