/**
 * The two walks a COPY/ADD source needs over the filtered context: expanding a wildcard (fsutil's
 * ResolveWildcards: Go filepath.Match against paths below the last wildcard-free directory, no `**`, a matched
 * directory is not searched further) and listing a directory's contents through `--parents` include and
 * `--exclude` patterns (fsutil's copier: paths relative to the copied directory, parents of an included entry
 * come along, hard links kept within one copied source).
 */
import type { SourceTree } from './source-tree.js';
import { inodeKey, type ContextEntry, type DirEntry } from './context-entry.js';
import type { MatchInfo, PatternMatcher } from './dockerignore.js';
import { BadPatternError, containsWildcards, matchGlob } from './go-glob.js';
import { baseName, joinRel } from './go-path.js';

/** One entry a copy writes: where it lands relative to the destination directory. */
export interface CopyEntry {
  readonly entry: ContextEntry;
  /** '/'-separated path relative to the destination directory. */
  readonly destPath: string;
  /** For a file whose inode this source already copied: that copy's destPath, to write as a hard link. */
  readonly hardlinkTo: string | undefined;
}

/** A context-relative source path split at its first wildcard element (fsutil's splitWildcards). */
export interface SplitSource {
  readonly base: string;
  readonly pattern: string | undefined;
}

export function splitWildcards(path: string): SplitSource {
  const elements = path === '' ? [] : path.split('/');
  const first = elements.findIndex(containsWildcards);
  if (first < 0) return { base: path, pattern: undefined };
  return { base: elements.slice(0, first).join('/'), pattern: elements.slice(first).join('/') };
}

/**
 * The context paths below directory `base` whose path relative to `base` matches `pattern`, in walk order.
 * A malformed pattern matches nothing (Go ignores filepath.Match's error there).
 */
export function expandWildcard(ctx: SourceTree, base: string, pattern: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, relDir: string): void => {
    for (const child of ctx.children(dir)) {
      const rel = joinRel(relDir, baseName(child.path));
      if (globMatches(pattern, rel)) out.push(child.path);
      else if (child.type === 'dir') visit(child.path, rel);
    }
  };
  if (ctx.entry(base)?.type === 'dir') visit(base, '');
  return out;
}

function globMatches(pattern: string, rel: string): boolean {
  try {
    return matchGlob(pattern, rel);
  } catch (err) {
    if (err instanceof BadPatternError) return false;
    throw err;
  }
}

interface PendingDir {
  readonly entry: DirEntry;
  readonly destPath: string;
  emitted: boolean;
}

interface ContentsWalk {
  readonly ctx: SourceTree;
  readonly include: PatternMatcher | undefined;
  readonly exclude: PatternMatcher | undefined;
  readonly out: CopyEntry[];
  readonly inodes: Map<string, string>;
}

/** The entries below `dir` that a copy of its contents writes, parents before children. */
export function collectContents(
  ctx: SourceTree,
  dir: DirEntry,
  include: PatternMatcher | undefined,
  exclude: PatternMatcher | undefined,
): CopyEntry[] {
  const walk: ContentsWalk = { ctx, include, exclude, out: [], inodes: new Map() };
  visitContents(walk, dir.path, '', undefined, undefined, []);
  return walk.out;
}

function visitContents(
  walk: ContentsWalk,
  dir: string,
  relDir: string,
  includeInfo: MatchInfo | undefined,
  excludeInfo: MatchInfo | undefined,
  pending: PendingDir[],
): void {
  for (const child of walk.ctx.children(dir)) {
    const rel = joinRel(relDir, baseName(child.path));
    const inc = walk.include?.matchesUsingParentResults(rel, includeInfo);
    const exc = walk.exclude?.matchesUsingParentResults(rel, excludeInfo);
    const included = (inc?.matched ?? true) && !(exc?.matched ?? false);
    if (included) {
      for (const p of pending.filter((d) => !d.emitted)) {
        p.emitted = true;
        walk.out.push({ entry: p.entry, destPath: p.destPath, hardlinkTo: undefined });
      }
      walk.out.push({ entry: child, destPath: rel, hardlinkTo: hardlinkTarget(walk.inodes, child, rel) });
    }
    if (child.type !== 'dir') continue;
    // Nothing below an excluded directory can come back without an exception pattern.
    if (exc?.matched && !walk.exclude?.hasExceptions) continue;
    const below = included ? [] : [...pending, { entry: child, destPath: rel, emitted: false }];
    visitContents(walk, child.path, rel, inc?.info, exc?.info, below);
  }
}

function hardlinkTarget(
  inodes: Map<string, string>,
  entry: ContextEntry,
  destPath: string,
): string | undefined {
  if (entry.type !== 'file' || entry.nlink < 2) return undefined;
  const key = inodeKey(entry);
  const first = inodes.get(key);
  if (first === undefined) inodes.set(key, destPath);
  return first;
}
