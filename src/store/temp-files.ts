import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Temp files live in `<store>/.ingest/` (same file system as the blobs, so the final rename is atomic) and are
 * named `tmp_<host>_<pid>_<random>` so that a sweeper can tell a dead writer's leftovers from a live writer's
 * work: on the same host a file whose writer process is gone is stale at once; a file from another host (a
 * container sharing the directory has its own pid namespace and host name) only after `maxAgeMs`.
 */
export const ingestDirName = '.ingest';

const tempPattern = /^tmp_([A-Za-z0-9.-]*)_(\d+)_[0-9a-f]+(?:\.[a-z-]+)?$/;

export function tempFileName(purpose: string): string {
  return `tmp_${safeHostname()}_${process.pid}_${randomBytes(8).toString('hex')}${purpose ? `.${purpose}` : ''}`;
}

/** True when `pid` names a live process on this machine (EPERM: alive but not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleCheck {
  /** Milliseconds since the epoch, from the store's clock. */
  readonly now: number;
  /** A temp file whose writer we cannot check is stale after this long. */
  readonly maxAgeMs: number;
}

/** Whether a temp file (by its name and mtime) was left behind by a writer that will never finish it. */
export function isStaleTemp(name: string, mtimeMs: number, check: StaleCheck): boolean {
  const m = tempPattern.exec(name);
  if (m && m[1] === safeHostname() && !isProcessAlive(Number(m[2]))) return true;
  return check.now - mtimeMs > check.maxAgeMs;
}

/** Removes stale temp files from the ingest directory; returns how many files and bytes were freed. */
export async function sweepStaleTemps(
  ingestDir: string,
  check: StaleCheck,
): Promise<{ removed: number; bytes: number }> {
  let names: string[];
  try {
    names = await readdir(ingestDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed: 0, bytes: 0 };
    throw err;
  }
  let removed = 0;
  let bytes = 0;
  for (const name of names) {
    const path = join(ingestDir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st || !isStaleTemp(name, st.mtimeMs, check)) continue;
    await rm(path, { force: true, recursive: true });
    removed++;
    bytes += st.size;
  }
  return { removed, bytes };
}

function safeHostname(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '-');
}
