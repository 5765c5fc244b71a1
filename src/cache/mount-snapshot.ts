import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Privilege } from '../build/rootfs/privilege.js';
import { startHostProcess } from '../build/host-command.js';
import { CacheError, describeError } from '../errors.js';
import { DigestStream, digestOfStream, type Digest } from '../oci/digest.js';

/**
 * `RUN --mount=type=cache` directories between runs. Their files belong to whatever users the build's commands
 * ran as, so GNU tar and find run as root (the builder's privilege); the snapshot is a gzip'd tar (level 1:
 * package caches are mostly compressed already) with numeric owners and xattrs.
 */
export interface MountTools {
  readonly privilege: Privilege;
  readonly hostEnv: Readonly<Record<string, string>>;
}

/**
 * A fingerprint of a directory tree: path, type, mode, owner, size (files), whole-second mtime (not for
 * symlinks) and link target of every entry, sorted. It survives a tar round trip, and any write changes it.
 * Undefined when the directory does not exist or is empty.
 */
export async function fingerprintDir(dir: string, tools: MountTools): Promise<string | undefined> {
  if (!(await isDir(dir))) return undefined;
  const p = startHostProcess(
    tools.privilege.wrap(['find', dir, '-printf', '%y\\037%m\\037%U\\037%G\\037%s\\037%T@\\037%l\\037%P\\0']),
    tools.hostEnv,
    'cache mount fingerprint',
  );
  const chunks: Buffer[] = [];
  p.stdout.on('data', (c: Buffer) => chunks.push(c));
  await guard('fingerprint', dir, p.done);
  const records = Buffer.concat(chunks)
    .toString('utf8')
    .split('\0')
    .filter((r) => r !== '')
    .map(normalizeRecord)
    .sort();
  if (records.length <= 1) return undefined;
  const h = createHash('sha256');
  for (const r of records) h.update(`${r}\n`);
  return h.digest('hex');
}

function normalizeRecord(r: string): string {
  const [type, mode, uid, gid, size, mtime, target, path] = r.split('\x1f');
  const seconds = String(Math.floor(Number(mtime)));
  return [path, type, mode, uid, gid, type === 'd' ? '' : size, type === 'l' ? '' : seconds, target].join(
    '\x1f',
  );
}

/** Writes `dir` as a gzip'd tar to `file`; returns the file's size and digest. */
export async function snapshotDir(
  dir: string,
  file: string,
  tools: MountTools,
): Promise<{ size: number; digest: Digest }> {
  const p = startHostProcess(
    tools.privilege.wrap(['tar', '--create', '--file=-', '--numeric-owner', '--xattrs', '-C', dir, '.']),
    tools.hostEnv,
    'cache mount snapshot',
  );
  const hash = new DigestStream();
  await Promise.all([
    guard('snapshot', dir, pipeline(p.stdout, createGzip({ level: 1 }), hash, createWriteStream(file))),
    guard('snapshot', dir, p.done),
  ]);
  return { size: (await stat(file)).size, digest: hash.digest() };
}

/** Throws when a restored snapshot file is not the one saved (a truncated or altered cache entry). */
export async function verifySnapshot(file: string, expected: Digest, entry: string): Promise<void> {
  const { digest } = await digestOfStream(createReadStream(file));
  if (digest !== expected)
    throw new CacheError(`cache entry ${entry} is corrupt (its digest is ${digest}, ${expected} was saved)`);
}

/** Extracts a snapshot into `dir` (created), owners and modes as saved. */
export async function restoreDir(file: string, dir: string, tools: MountTools): Promise<void> {
  await mkdir(dir, { recursive: true });
  const p = startHostProcess(
    tools.privilege.wrap([
      'tar',
      '--extract',
      '--file=-',
      '--numeric-owner',
      '--same-owner',
      '--same-permissions',
      '--xattrs',
      '-C',
      dir,
    ]),
    tools.hostEnv,
    'cache mount restore',
  );
  await Promise.all([
    guard('restore', dir, pipeline(createReadStream(file), createGunzip(), p.stdin)),
    guard('restore', dir, p.done),
  ]);
}

async function isDir(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

async function guard<T>(what: string, dir: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new CacheError(`cache mount ${what} of ${dir} failed: ${describeError(err)}`);
  }
}
