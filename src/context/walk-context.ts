/**
 * Walks a context directory once, the way BuildKit's fsutil sends it: sorted (Go byte order), never following
 * symlinks, skipping what .dockerignore excludes. An excluded directory is pruned unless an exception pattern may
 * re-include something below it; a re-included entry brings its excluded parent directories along (fsutil's
 * FilterFS). Sockets are skipped; devices and FIFOs are entries.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Logger } from '../log.js';
import {
  entryTypeOf,
  inodeKey,
  makeEntry,
  type ContextEntry,
  type DirEntry,
  type EntryType,
} from './context-entry.js';
import type { MatchInfo, PatternMatcher } from './dockerignore.js';
import { compareGoStrings, joinRel } from './go-path.js';

/** Counters of file-system work, to prove and report that each entry is touched once. */
export interface WalkCounters {
  lstat: number;
  readdir: number;
  readlink: number;
}

/** The filtered context: every entry by path, and each directory's children in walk order. */
export interface ContextIndex {
  readonly root: DirEntry;
  /** All entries except the root, in walk order (a directory before its children). */
  readonly entries: readonly ContextEntry[];
  readonly byPath: ReadonlyMap<string, ContextEntry>;
  readonly children: ReadonlyMap<string, readonly ContextEntry[]>;
}

interface PendingDir {
  readonly entry: DirEntry;
  emitted: boolean;
}

interface WalkState {
  readonly rootAbs: string;
  readonly ignore: PatternMatcher | undefined;
  readonly prune: (dir: string) => boolean;
  readonly counters: WalkCounters;
  readonly log: Logger | undefined;
  readonly entries: ContextEntry[];
  readonly seenInodes: Map<string, string>;
}

/** Walks `rootAbs` (a real directory path) into a ContextIndex. */
export async function walkContext(
  rootAbs: string,
  ignore: PatternMatcher | undefined,
  counters: WalkCounters,
  log?: Logger,
): Promise<ContextIndex> {
  counters.lstat++;
  const root = makeEntry('', 'dir', await lstat(rootAbs, { bigint: true })) as DirEntry;
  const state: WalkState = {
    rootAbs,
    ignore,
    prune: pruneRule(ignore),
    counters,
    log,
    entries: [],
    seenInodes: new Map(),
  };
  await walkDir(state, '', undefined, []);
  return indexEntries(root, state.entries);
}

async function walkDir(
  state: WalkState,
  dir: string,
  parentInfo: MatchInfo | undefined,
  pending: PendingDir[],
): Promise<void> {
  // An unreadable directory that is excluded anyway is skipped, like fsutil does.
  const excluded = pending.length > 0;
  const names = await readNames(state, dir, excluded);
  const stats = await Promise.all(names.map((name) => lstatEntry(state, joinRel(dir, name))));
  for (const [i, name] of names.entries()) {
    const st = stats[i];
    if (st === undefined) continue; // vanished during the walk
    const path = joinRel(dir, name);
    const type = entryTypeOf(st);
    if (type === 'socket' || type === undefined) {
      state.log?.debug(`context: skipping ${type ?? 'special file'} "${path}"`);
      continue;
    }
    const verdict = state.ignore?.matchesUsingParentResults(path, parentInfo);
    if (verdict?.matched) {
      if (type === 'dir' && !state.prune(path)) {
        const entry = makeEntry(path, type, st) as DirEntry;
        await walkDir(state, path, verdict.info, [...pending, { entry, emitted: false }]);
      }
      continue;
    }
    for (const p of pending.filter((d) => !d.emitted)) {
      p.emitted = true;
      state.entries.push(p.entry);
    }
    const entry = await buildEntry(state, path, type, st);
    state.entries.push(entry);
    if (type === 'dir') await walkDir(state, path, verdict?.info, []);
  }
}

async function readNames(state: WalkState, dir: string, excluded: boolean): Promise<string[]> {
  state.counters.readdir++;
  let raw: Buffer[];
  try {
    raw = await readdir(join(state.rootAbs, dir), { encoding: 'buffer' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (excluded && (code === 'EACCES' || code === 'EPERM')) return [];
    throw contextReadError(dir, err);
  }
  const names = raw.map((b) => {
    const name = b.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(b)) {
      throw new InputError(
        'context',
        `a file name in "${dir || '.'}" is not valid UTF-8 (${JSON.stringify(name)})`,
        {
          hint: 'rename the file or exclude it in .dockerignore',
        },
      );
    }
    return name;
  });
  return names.sort(compareGoStrings);
}

async function lstatEntry(state: WalkState, path: string): Promise<BigIntStats | undefined> {
  state.counters.lstat++;
  try {
    return await lstat(join(state.rootAbs, path), { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw contextReadError(path, err);
  }
}

async function buildEntry(
  state: WalkState,
  path: string,
  type: EntryType,
  st: BigIntStats,
): Promise<ContextEntry> {
  if (type === 'symlink') {
    state.counters.readlink++;
    const target = await readlink(join(state.rootAbs, path), { encoding: 'buffer' });
    return makeEntry(path, type, st, { linkTarget: target.toString('utf8') });
  }
  if (type !== 'file' || st.nlink < 2n) return makeEntry(path, type, st);
  const key = inodeKey(st);
  const first = state.seenInodes.get(key);
  if (first === undefined) state.seenInodes.set(key, path);
  return makeEntry(path, type, st, first === undefined ? {} : { hardlinkOf: first });
}

/**
 * fsutil's rule for skipping an excluded directory: always when there are no exceptions; never when an
 * exception has wildcards; otherwise only when no exception names a path below it.
 */
function pruneRule(ignore: PatternMatcher | undefined): (dir: string) => boolean {
  const exceptions = ignore?.patterns.filter((p) => p.exception) ?? [];
  if (exceptions.length === 0) return () => true;
  const prefixes = exceptions.map((p) => p.text.replace(/\/\*\*$/, '').replace(/\/\*$/, ''));
  if (prefixes.some((p) => /[*[\]?^\\]/.test(p))) return () => false;
  return (dir) => !prefixes.some((p) => `${p}/`.startsWith(`${dir}/`));
}

function indexEntries(root: DirEntry, entries: ContextEntry[]): ContextIndex {
  const byPath = new Map<string, ContextEntry>([['', root]]);
  const children = new Map<string, ContextEntry[]>([['', []]]);
  for (const entry of entries) {
    byPath.set(entry.path, entry);
    const slash = entry.path.lastIndexOf('/');
    children.get(slash < 0 ? '' : entry.path.slice(0, slash))?.push(entry);
    if (entry.type === 'dir') children.set(entry.path, []);
  }
  return { root, entries, byPath, children };
}

function contextReadError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new InputError('context', `cannot read "${path || '.'}" in the build context (${code})`, {
    hint: 'make it readable by the build user, or exclude it in .dockerignore',
    cause: err,
  });
}
