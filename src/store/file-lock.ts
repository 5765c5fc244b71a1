import { randomBytes } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import type { Clock } from '../log.js';
import { isProcessAlive, tempFileName } from './temp-files.js';

/**
 * A cross-process mutex made of a lock file, for read-modify-write of index.json.
 *
 * Acquire: write a unique token to a private temp file, then `link()` it to the lock path — link fails with
 * EEXIST when the lock is held, and a lock file never exists without its full content. Release: unlink the lock
 * if it still holds our token. A lock is stale when its holder process is gone (same host) or it is older than
 * `staleMs` (holders keep it for milliseconds). A stale lock is broken by renaming it to a unique name (only
 * one contender can win that rename) and checking that what was moved is the stale token; if a live lock was
 * moved by mistake (its owner re-acquired in between) it is linked back.
 */
export interface FileLockOptions {
  readonly clock: Clock;
  /** Where private temp files go (same file system as the lock). */
  readonly tempDir: string;
  readonly staleMs: number;
  readonly timeoutMs: number;
}

interface LockInfo {
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  readonly mtimeMs: number;
}

export async function withFileLock<T>(path: string, opts: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const token = await acquire(path, opts);
  try {
    return await fn();
  } finally {
    await release(path, token);
  }
}

async function acquire(path: string, opts: FileLockOptions): Promise<string> {
  const token = `${hostname()}\n${process.pid}\n${randomBytes(12).toString('hex')}\n`;
  const mine = join(opts.tempDir, tempFileName('lock'));
  await writeFile(mine, token);
  const started = opts.clock.now().getTime();
  try {
    for (let attempt = 0; ; attempt++) {
      if (await tryLink(mine, path)) return token;
      const held = await readLock(path);
      if (held === undefined) continue;
      if (isStale(held, opts)) {
        await breakStale(path, held, opts.tempDir);
        continue;
      }
      if (opts.clock.now().getTime() - started > opts.timeoutMs) throw lockTimeout(path, held);
      await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

async function release(path: string, token: string): Promise<void> {
  const held = await readLock(path);
  if (held?.token === token) await unlink(path).catch(() => undefined);
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const [host = '', pid = '0'] = text.split('\n');
    return { token: text, host, pid: Number(pid), mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isStale(held: LockInfo, opts: FileLockOptions): boolean {
  if (held.host === hostname() && held.pid > 0 && !isProcessAlive(held.pid)) return true;
  return opts.clock.now().getTime() - held.mtimeMs > opts.staleMs;
}

async function breakStale(path: string, held: LockInfo, tempDir: string): Promise<void> {
  const moved = join(tempDir, tempFileName('stale-lock'));
  try {
    await rename(path, moved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it first
    throw err;
  }
  const what = await readLock(moved);
  if (what !== undefined && what.token !== held.token) {
    // We moved a fresh lock taken after our check: put it back for its owner.
    await tryLink(moved, path);
  }
  await unlink(moved).catch(() => undefined);
}

function lockTimeout(path: string, held: LockInfo): InternalError {
  return new InternalError(`the image store is locked by process ${held.pid} on ${held.host} (${path})`, {
    hint: 'wait for the other image-build to finish; if none is running, delete the lock file',
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
