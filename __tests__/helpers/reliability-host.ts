/**
 * "Nothing on the host changed": a snapshot of what a hostile build might aim at, taken before and after.
 *
 *   const watch = makeVictim();                        // a temp dir outside every work root, with files to steal/overwrite
 *   const before = snapshotHost(watch);
 *   … hostile build …
 *   expect(hostChanges(before, snapshotHost(watch))).toEqual([]);
 *
 * A snapshot holds: a checksum of every entry under the watched directories (type, mode, owner, size, nlink,
 * content or link target, mtime and ctime — a hard link made to a file changes its nlink and ctime), the digests
 * of sentinel host files (/etc/passwd, /etc/shadow, /etc/hosts, …), whether escape markers exist at a few host
 * paths, the host's mount table (/proc/self/mountinfo) below the watched and system directories, and processes
 * whose command line carries one of the given markers.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostWatch {
  /** Directories whose whole tree must stay as it is. */
  readonly dirs: readonly string[];
  /** Files (or paths that must stay absent) whose state must stay as it is. */
  readonly files: readonly string[];
  /** Strings that must not appear in any process's command line afterwards. */
  readonly processMarkers: readonly string[];
}

export interface HostSnapshot {
  readonly entries: ReadonlyMap<string, string>;
  readonly mounts: readonly string[];
  readonly processes: readonly string[];
}

/** Host files a hostile build might try to read or overwrite; absent ones must stay absent. */
export const sentinelFiles: readonly string[] = [
  '/etc/passwd',
  '/etc/shadow',
  '/etc/group',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/sudoers',
  '/root/.bashrc',
  '/ib-pwned',
  '/tmp/ib-pwned',
  '/etc/ib-pwned',
];

/** Mount points a build could leave behind or add on the host: anything outside the temp directory. */
const systemMountRoots = [
  '/etc',
  '/usr',
  '/var',
  '/root',
  '/home',
  '/opt',
  '/srv',
  '/boot',
  '/bin',
  '/sbin',
  '/lib',
];

export interface Victim {
  readonly dir: string;
  /** A file whose content must never reach an image. */
  readonly secretFile: string;
  readonly secret: string;
  readonly watch: HostWatch;
  cleanup(): void;
}

/** A directory outside every work root holding a secret file, a subdirectory and a symlink: the target of escapes. */
export function makeVictim(processMarkers: readonly string[] = []): Victim {
  const dir = mkdtempSync(join(tmpdir(), 'ib-victim-'));
  chmodSync(dir, 0o755);
  const secret = `victim-secret-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
  const secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, `${secret}\n`);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'keep'), 'keep\n');
  execFileSync('ln', ['-s', 'secret.txt', join(dir, 'link')]);
  return {
    dir,
    secretFile,
    secret,
    watch: { dirs: [dir], files: sentinelFiles, processMarkers },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function snapshotHost(watch: HostWatch): HostSnapshot {
  const entries = new Map<string, string>();
  for (const d of watch.dirs) walk(d, entries);
  for (const f of watch.files) entries.set(f, describe(f));
  return { entries, mounts: watchedMounts(watch), processes: markedProcesses(watch.processMarkers) };
}

/** What differs, one line per change; [] when the host is as it was. */
export function hostChanges(before: HostSnapshot, after: HostSnapshot): string[] {
  const out: string[] = [];
  for (const [path, was] of before.entries) {
    const now = after.entries.get(path);
    if (now === undefined) out.push(`removed ${path}`);
    else if (now !== was) out.push(`changed ${path}: ${was} → ${now}`);
  }
  for (const path of after.entries.keys()) if (!before.entries.has(path)) out.push(`added ${path}`);
  for (const m of after.mounts) if (!before.mounts.includes(m)) out.push(`new mount ${m}`);
  for (const m of before.mounts) if (!after.mounts.includes(m)) out.push(`mount gone ${m}`);
  for (const p of after.processes) out.push(`process left behind: ${p}`);
  return out;
}

function walk(path: string, out: Map<string, string>): void {
  out.set(path, describe(path));
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) walk(join(path, name), out);
}

/** One path's state: absent, or type/mode/owner/size/nlink/times and the content digest or link target. */
function describe(path: string): string {
  let st;
  try {
    st = lstatSync(path, { bigint: true });
  } catch {
    return 'absent';
  }
  const kind = st.isFile()
    ? `file:${createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)}`
    : st.isSymbolicLink()
      ? `symlink:${readlinkSync(path)}`
      : st.isDirectory()
        ? 'dir'
        : `special:${st.rdev}`;
  return `${kind} mode=${st.mode.toString(8)} owner=${st.uid}:${st.gid} size=${st.isDirectory() ? '-' : st.size} nlink=${st.nlink} mtime=${st.mtimeNs} ctime=${st.ctimeNs}`;
}

/** Mount points (with their source) below the watched directories and the system directories. */
function watchedMounts(watch: HostWatch): string[] {
  const roots = [...watch.dirs, ...systemMountRoots];
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = line.split(' ');
      return `${unescapeMount(f[4]!)} (${f[f.indexOf('-') + 1]} ${f[f.indexOf('-') + 2]})`;
    })
    .filter((m) => roots.some((r) => m === r || m.startsWith(`${r}/`) || m.startsWith(`${r} `)))
    .sort();
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

function markedProcesses(markers: readonly string[]): string[] {
  if (markers.length === 0) return [];
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((l) => markers.some((m) => l.includes(m)) && !l.includes(' ps -eo'))
    .map((l) => l.trim());
}

/** True when `path` exists (lstat: a dangling symlink counts). */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}

/**
 * What an interrupted run may have left behind in a work directory it shares with the next run: mounts below
 * it, processes naming it (or carrying one of `markers`), and temp entries — a builder work root's session
 * temp dirs (`tmp/…`) and upper dirs never adopted (`layers/.up-…`), a store's ingest files (`.ingest/…`).
 */
export function leftovers(workDir: string, markers: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mountpoint = unescapeMount(line.split(' ')[4] ?? '');
    if (mountpoint === workDir || mountpoint.startsWith(`${workDir}/`)) out.push(`mount ${mountpoint}`);
  }
  for (const p of markedProcesses([workDir, ...markers])) out.push(`process ${p}`);
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  };
  const visit = (dir: string, depth: number): void => {
    const names = list(dir);
    if (names.includes('layers')) {
      for (const n of list(join(dir, 'tmp'))) out.push(`temp ${join(dir, 'tmp', n)}`);
      for (const n of list(join(dir, 'layers')))
        if (n.startsWith('.up-')) out.push(`temp ${join(dir, 'layers', n)}`);
    }
    if (names.includes('.ingest'))
      for (const n of list(join(dir, '.ingest'))) out.push(`temp ${join(dir, '.ingest', n)}`);
    if (depth < 3)
      for (const n of names)
        if (n !== 'layers' && n !== 'blobs' && lstatSync(join(dir, n)).isDirectory())
          visit(join(dir, n), depth + 1);
  };
  visit(workDir, 0);
  return out;
}
