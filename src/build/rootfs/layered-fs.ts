import { lstatSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
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

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * A read-only view of an image's root filesystem computed from its layer directories with overlayfs's rules
 * (topmost entry wins, whiteouts delete, opaque directories hide lower ones, a non-directory hides everything
 * below it) — what the kernel would show, without mounting anything. Lookups are synchronous (a handful of
 * lstat calls per path component), so lazy synchronous trees can be built on it; async wrappers are provided.
 */
export class LayeredFs {
  /**
   * Directory lookups already made, by container path: lower layers never change, so only a writer adding to
   * the topmost layer makes an entry stale, and it says so with `invalidate`.
   */
  private readonly dirCache = new Map<string, { entry: MergedEntry; contributors: number[] }>();

  /** Layers topmost first. */
  constructor(readonly layers: readonly LayerDir[]) {}

  /** Forgets cached lookups of `path` and everything below it (after the topmost layer changed there). */
  invalidate(path: string): void {
    const key = splitContainerPath(path).join('/');
    this.dirCache.delete(key);
    for (const k of this.dirCache.keys()) if (key === '' || k.startsWith(`${key}/`)) this.dirCache.delete(k);
  }

  /** The entry at a container path without following symlinks (not even intermediate ones). */
  lstatSync(path: string): MergedEntry | undefined {
    return this.lookup(splitContainerPath(path))?.entry;
  }

  async lstat(path: string): Promise<MergedEntry | undefined> {
    return this.lstatSync(path);
  }

  /** The names in a merged directory, sorted by bytes (Go's order). */
  readdirSync(path: string): string[] {
    const parts = splitContainerPath(path);
    const found = this.lookup(parts);
    if (!found || !found.entry.stats.isDirectory()) return [];
    const names = new Map<string, boolean>();
    for (const idx of found.contributors) {
      const dir = join(this.layers[idx]!.dir, ...parts);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const d of entries) {
        if (names.has(d.name)) continue;
        names.set(d.name, !(d.isCharacterDevice() && isWhiteout(lstatSync(join(dir, d.name)))));
      }
    }
    return [...names]
      .filter(([, visible]) => visible)
      .map(([n]) => n)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async readdir(path: string): Promise<string[]> {
    return this.readdirSync(path);
  }

  async readlink(path: string): Promise<string> {
    const e = this.lstatSync(path);
    if (!e?.stats.isSymbolicLink()) throw new Error(`${path} is not a symbolic link`);
    return readlinkSync(e.hostPath);
  }

  /**
   * Resolves symlinks in a container path within the root (absolute targets restart at the root, `..` stops at
   * it). Missing trailing components are kept as written. Returns the cleaned container path.
   */
  resolveSync(path: string, followLast = true): string {
    const todo = splitContainerPath(path);
    const done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '..') {
        done.pop();
        continue;
      }
      const e = this.lstatSync('/' + [...done, c].join('/'));
      if (e?.stats.isSymbolicLink() && (todo.length > 0 || followLast)) {
        if (++hops > 40) throw tooManyLinks(path);
        const target = readlinkSync(e.hostPath);
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
        continue;
      }
      done.push(c);
    }
    return '/' + done.join('/');
  }

  async resolve(path: string, followLast = true): Promise<string> {
    return this.resolveSync(path, followLast);
  }

  private lookup(parts: readonly string[]): { entry: MergedEntry; contributors: number[] } | undefined {
    if (parts.length === 0) {
      const top = this.layers[0];
      if (!top) return undefined;
      return {
        entry: { stats: lstatSync(top.dir), hostPath: top.dir, layer: 0 },
        contributors: this.layers.map((_, i) => i),
      };
    }
    // Start from the deepest directory already looked up.
    let depth = parts.length - 1;
    let known: { entry: MergedEntry; contributors: number[] } | undefined;
    for (; depth > 0; depth--) {
      known = this.dirCache.get(relativeKey(parts.slice(0, depth)));
      if (known) break;
    }
    let contributors = known ? known.contributors : this.layers.map((_, i) => i);
    let found: { entry: MergedEntry; contributors: number[] } | undefined;
    for (; depth < parts.length; depth++) {
      const rel = parts.slice(0, depth + 1);
      found = this.step(rel, contributors);
      if (!found) return undefined;
      if (!found.entry.stats.isDirectory()) return depth === parts.length - 1 ? found : undefined;
      this.dirCache.set(relativeKey(rel), found);
      contributors = found.contributors;
    }
    return found;
  }

  /** One path component: the topmost layer's entry among the parent's contributors, and who merges below it. */
  private step(
    rel: readonly string[],
    contributors: readonly number[],
  ): { entry: MergedEntry; contributors: number[] } | undefined {
    const next: number[] = [];
    let entry: MergedEntry | undefined;
    for (const idx of contributors) {
      const hostPath = join(this.layers[idx]!.dir, ...rel);
      const st = lstatOrUndefined(hostPath);
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
    return entry ? { entry, contributors: next } : undefined;
  }
}
