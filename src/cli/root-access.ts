/**
 * Builds need root (overlay mounts, namespaces, files owned by any uid). Root runs the build; a user with
 * passwordless sudo gets the same command re-run under `sudo -n` (the environment kept); a user with a
 * /etc/subuid range gets it re-run as "root" of a user namespace (rootless); anyone else gets one line that
 * lists the options. The re-run carries a marker (`1` for sudo, `userns`) so it never re-runs again.
 */
import { lstat, lchown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rootPrivilege, usernsPrivilege, type Privilege } from '../build/rootfs/privilege.js';
import { detectRootAccess, noRootMessage, type RootAccess } from '../build/rootfs/run-as-root.js';
import { BuildStepError } from '../errors.js';

/** Set in the environment of the re-run: `1` under sudo, `userns` in a user namespace. */
export const rerunMarker = 'IMAGE_BUILD_SUDO';

/** How the CLI re-runs itself to get root. */
export type RerunMethod = 'sudo' | 'userns';

export type RootPlan =
  | { readonly kind: 'run'; readonly privilege: Privilege }
  | { readonly kind: 'rerun'; readonly method: RerunMethod }
  | { readonly kind: 'fail'; readonly error: BuildStepError };

export function planRootAccess(
  uid: number,
  env: Readonly<Record<string, string | undefined>>,
  detect: (uid: number) => RootAccess = detectRootAccess,
): RootPlan {
  const marker = env[rerunMarker];
  if (uid === 0) return { kind: 'run', privilege: marker === 'userns' ? usernsPrivilege : rootPrivilege };
  if (marker !== undefined)
    return fail(`the re-run (${marker === 'userns' ? 'user namespace' : 'sudo'}) is still uid ${uid}`);
  const access: RootAccess = detect(uid);
  switch (access.kind) {
    case 'root':
      return { kind: 'run', privilege: rootPrivilege };
    case 'sudo':
      return { kind: 'rerun', method: 'sudo' };
    case 'userns':
      return { kind: 'rerun', method: 'userns' };
    case 'none':
      return fail(access.reason);
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
  if (uid !== 0 || env[rerunMarker] !== '1') return;
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
