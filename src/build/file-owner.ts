import { readFile } from 'node:fs/promises';
import type { LayeredFs } from './rootfs/layered-fs.js';

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Owner of files a FileOp writes (`COPY --chown`, `ADD --chown`, WORKDIR under USER), with BuildKit's FileOp
 * rules — different from RUN's: `N` alone means N:N, names come from the destination image's /etc/passwd and
 * /etc/group, and an unknown name (or a missing file) silently means 0.
 */
export async function resolveFileOwner(spec: string, fs: LayeredFs): Promise<Owner> {
  const colon = spec.indexOf(':');
  const userPart = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
  let uid = 0;
  let gid = 0;
  const numericUser = parseId(userPart);
  if (numericUser !== undefined) {
    uid = numericUser;
    gid = numericUser;
  } else if (userPart !== '') {
    const entry = (await readDb(fs, '/etc/passwd')).find((f) => f[0] === userPart);
    if (entry) {
      uid = parseId(entry[2] ?? '') ?? 0;
      gid = parseId(entry[3] ?? '') ?? 0;
    }
  }
  if (groupPart !== undefined) {
    const numericGroup = parseId(groupPart);
    if (numericGroup !== undefined) gid = numericGroup;
    else if (groupPart === '') gid = 0;
    else {
      const entry = (await readDb(fs, '/etc/group')).find((f) => f[0] === groupPart);
      gid = entry ? (parseId(entry[2] ?? '') ?? 0) : 0;
    }
  }
  return { uid, gid };
}

function parseId(s: string): number | undefined {
  if (s === 'root') return 0;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 0x7fffffff ? n : undefined;
}

async function readDb(fs: LayeredFs, path: string): Promise<string[][]> {
  try {
    const resolved = await fs.resolve(path);
    const e = await fs.lstat(resolved);
    if (!e || !e.stats.isFile()) return [];
    const text = await readFile(e.hostPath, 'utf8');
    return text
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}
