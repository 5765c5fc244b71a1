/**
 * Builds need root (overlay mounts, namespaces, files owned by any uid). Root runs the build; a user with
 * passwordless sudo gets the same command re-run under `sudo -n` (the environment kept); anyone else gets one
 * line that lists the options. The re-run carries a marker so it never re-runs again.
 */
import { lstat, lchown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { detectRootAccess, noRootMessage, type RootAccess } from '../build/rootfs/run-as-root.js';
import { BuildStepError } from '../errors.js';

/** Set (to `1`) in the environment of the sudo re-run. */
export const sudoMarker = 'IMAGE_BUILD_SUDO';

export type RootPlan =
  | { readonly kind: 'run' }
  | { readonly kind: 'rerun-sudo' }
  | { readonly kind: 'fail'; readonly error: BuildStepError };

export function planRootAccess(
  uid: number,
  env: Readonly<Record<string, string | undefined>>,
  detect: (uid: number) => RootAccess = detectRootAccess,
): RootPlan {
  if (uid === 0) return { kind: 'run' };
  if (env[sudoMarker] !== undefined) {
    return fail('the re-run under sudo is still not root (uid ' + uid + ')');
  }
  const access = detect(uid);
  switch (access.kind) {
    case 'root':
      return { kind: 'run' };
    case 'sudo':
      return { kind: 'rerun-sudo' };
    case 'none':
      return fail(access.reason);
    default:
      return fail(`no supported way to get root here (${access.kind})`);
  }
}

function fail(reason: string): RootPlan {
  return { kind: 'fail', error: new BuildStepError(noRootMessage(reason)) };
}

/**
 * In the sudo re-run, gives the files the build wrote for the user (outputs, iidfile, metadata file) back to
 * the user who ran sudo (SUDO_UID/SUDO_GID), so they can read, move and delete them without sudo.
 */
export async function handOverToSudoUser(
  paths: readonly string[],
  uid: number,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (uid !== 0 || env[sudoMarker] === undefined) return;
  const owner = Number(env['SUDO_UID']);
  const group = Number(env['SUDO_GID']);
  if (!Number.isInteger(owner) || !Number.isInteger(group) || env['SUDO_UID'] === '') return;
  for (const p of paths) await chownTree(p, owner, group);
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  await lchown(path, uid, gid);
  if (!st.isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), uid, gid);
}
