import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { relativeKey, splitContainerPath, tooManyLinks } from './paths.js';

/** One unpacked layer: a directory in overlay format plus the directories it makes opaque. */
export interface LayerDir {
  readonly dir: string;
  /** Container paths (relative, no leading `/`) of directories that hide everything below them. */
  readonly opaque: ReadonlySet<string>;
}

export interface MergedEntry {
  readonly stats: Stats;
  /** The file on the host holding this entry (in the topmost layer that has it). */
  readonly hostPath: string;
  /** Index into the layer list (0 = topmost). */
  readonly layer: number;
}

export function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw err;
  }
}

/**
 * A read-only view of an image's root filesystem computed from its layer directories with overlayfs's rules
 * (topmost entry wins, whiteouts delete, opaque directories hide lower ones, a non-directory hides everything
 * below it) — what the kernel would show, without mounting anything.
 */
export class LayeredFs {
  /** Layers topmost first. */
  constructor(readonly layers: readonly LayerDir[]) {}

  /** The entry at a container path without following a final symlink (intermediate ones are not followed either). */
  async lstat(path: string): Promise<MergedEntry | undefined> {
    const found = await this.lookup(splitContainerPath(path));
    return found?.entry;
  }

  /** The names in a merged directory, sorted. */
  async readdir(path: string): Promise<string[]> {
    const parts = splitContainerPath(path);
    const found = await this.lookup(parts);
    if (!found || !found.entry.stats.isDirectory()) return [];
    const names = new Map<string, boolean>();
    for (const idx of found.contributors) {
      const dir = join(this.layers[idx]!.dir, ...parts);
      for (const d of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (names.has(d.name)) continue;
        const wh = d.isCharacterDevice() && isWhiteout(await lstat(join(dir, d.name)));
        names.set(d.name, !wh);
      }
    }
    return [...names]
      .filter(([, visible]) => visible)
      .map(([n]) => n)
      .sort();
  }

  async readlink(path: string): Promise<string> {
    const e = await this.lstat(path);
    if (!e?.stats.isSymbolicLink()) throw new Error(`${path} is not a symbolic link`);
    return readlink(e.hostPath);
  }

  /**
   * Resolves symlinks in a container path within the root (absolute targets restart at the root, `..` stops at
   * it). Missing trailing components are kept as written. Returns the cleaned container path.
   */
  async resolve(path: string, followLast = true): Promise<string> {
    const todo = splitContainerPath(path);
    const done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '..') {
        done.pop();
        continue;
      }
      const e = await this.lstat('/' + [...done, c].join('/'));
      if (e?.stats.isSymbolicLink() && (todo.length > 0 || followLast)) {
        if (++hops > 40) throw tooManyLinks(path);
        const target = await readlink(e.hostPath);
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
        continue;
      }
      done.push(c);
    }
    return '/' + done.join('/');
  }

  private async lookup(
    parts: readonly string[],
  ): Promise<{ entry: MergedEntry; contributors: number[] } | undefined> {
    let contributors = this.layers.map((_, i) => i);
    let entry: MergedEntry | undefined;
    for (let depth = 0; depth < parts.length; depth++) {
      const rel = parts.slice(0, depth + 1);
      const next: number[] = [];
      entry = undefined;
      for (const idx of contributors) {
        const hostPath = join(this.layers[idx]!.dir, ...rel);
        const st = await lstatOrUndefined(hostPath);
        if (!st) continue;
        if (entry === undefined) {
          if (isWhiteout(st)) return undefined;
          entry = { stats: st, hostPath, layer: idx };
          if (!st.isDirectory()) break;
        } else if (isWhiteout(st) || !st.isDirectory()) {
          break;
        }
        next.push(idx);
        if (this.layers[idx]!.opaque.has(relativeKey(rel))) break;
      }
      if (!entry) return undefined;
      if (!entry.stats.isDirectory() && depth < parts.length - 1) return undefined;
      contributors = next;
    }
    if (!entry) {
      const st = await lstat(this.layers[0]?.dir ?? '/');
      return { entry: { stats: st, hostPath: this.layers[0]?.dir ?? '/', layer: 0 }, contributors };
    }
    return { entry, contributors };
  }
}
