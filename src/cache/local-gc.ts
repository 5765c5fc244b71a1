import { readIndexFile } from './cache-index.js';
import type { CacheStore, EntryInfo } from './cache-store.js';
import { keyPrefix } from './scope.js';

export interface LocalGcOptions {
  /** Entries this save dropped from its index (deleted at once unless another index references them). */
  readonly dropped: ReadonlySet<string>;
  readonly now: number;
  /** Index entries kept per scope, newest first (default 1: older ones only reference what the newest dropped). */
  readonly keepIndexes?: number;
  /** Unreferenced entries younger than this are kept: another build may be about to save its index. */
  readonly graceMs?: number;
}

const indexPattern = new RegExp(`^${keyPrefix}index-([0-9a-f]{16})-`);

/**
 * Keeps a local cache directory bounded: the newest index entries of each scope stay, older ones go, and a
 * pack or mount snapshot that no kept index references is deleted (at once when this save dropped it, else
 * after the grace period). Packs are shared between scopes, so one scope's budget never deletes what another
 * scope's index still uses.
 */
export async function collectLocalGarbage(
  store: CacheStore,
  o: LocalGcOptions,
): Promise<{ entries: number; bytes: number }> {
  const all = await store.list();
  if (!all) return { entries: 0, bytes: 0 };
  const byScope = new Map<string, EntryInfo[]>();
  for (const e of all) {
    const scope = indexPattern.exec(e.key)?.[1];
    if (scope !== undefined) byScope.set(scope, [...(byScope.get(scope) ?? []), e]);
  }
  const doomed: EntryInfo[] = [];
  const referenced = new Set<string>();
  for (const entries of byScope.values()) {
    entries.sort((a, b) => b.savedAt - a.savedAt || (a.key < b.key ? 1 : -1));
    const keep = entries.slice(0, o.keepIndexes ?? 1);
    doomed.push(...entries.slice(keep.length));
    for (const e of keep) for (const key of await referencedBy(store, e.key)) referenced.add(key);
  }
  const grace = o.graceMs ?? 3600_000;
  for (const e of all) {
    if (indexPattern.test(e.key) || referenced.has(e.key)) continue;
    if (o.dropped.has(e.key) || o.now - e.savedAt > grace) doomed.push(e);
  }
  await store.remove(doomed.map((e) => e.key));
  return { entries: doomed.length, bytes: doomed.reduce((n, e) => n + e.bytes, 0) };
}

/** The pack and mount entries an index references (none when it cannot be read: then it protects nothing). */
async function referencedBy(store: CacheStore, indexKey: string): Promise<string[]> {
  try {
    const entry = await store.restore('index', indexKey);
    if (!entry) return [];
    const index = await readIndexFile(entry.dir, indexKey);
    return [...Object.keys(index.packs), ...Object.values(index.mounts).map((m) => m.entry)];
  } catch {
    return [];
  }
}
