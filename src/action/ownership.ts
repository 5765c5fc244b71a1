import { chown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The user that ran `sudo` (the runner's user), when this process is the sudo'd copy of the action. */
export interface Invoker {
  readonly uid: number;
  readonly gid: number;
}

export function invokerOf(env: Readonly<Record<string, string | undefined>>): Invoker | undefined {
  const uid = Number(env['SUDO_UID']);
  const gid = Number(env['SUDO_GID']);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || env['SUDO_UID'] === undefined) return undefined;
  return { uid, gid };
}

/**
 * Gives a file or directory tree written for the user (an `outputs` export in the workspace) back to the user
 * who ran sudo, so later steps and the runner's cleanup can change or delete it. Symlinks are not followed.
 */
export async function chownTree(path: string, owner: Invoker): Promise<void> {
  const info = await lstat(path);
  if (info.isDirectory()) {
    for (const name of await readdir(path)) await chownTree(join(path, name), owner);
  }
  if (!info.isSymbolicLink()) await chown(path, owner.uid, owner.gid);
}
