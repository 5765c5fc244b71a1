import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CachedStep } from '../build/layer-cache.js';
import { CacheError, describeError } from '../errors.js';
import { isDigest, type Digest } from '../oci/digest.js';
import type { KeyInputs } from '../plan/cache-key.js';

/**
 * A scope's index: the small JSON entry restored before a build. It answers every lookup (steps by key),
 * explains misses (the inputs each step slot had last time) and says where each layer blob lives (packs), which
 * cache-mount snapshots exist, and what each unit was last used, for least-recently-used pruning.
 * Times are milliseconds since the epoch.
 */
export interface CacheIndex {
  readonly format: typeof indexFormat;
  readonly scope: string;
  readonly savedAt: number;
  readonly steps: Readonly<Record<string, IndexedStep>>;
  readonly slots: Readonly<Record<string, IndexedSlot>>;
  /** Storage units of layer blobs: packs (gha, local) or single blobs keyed by digest (registry). */
  readonly packs: Readonly<Record<string, IndexedPack>>;
  /** Cache-mount snapshots by mount id. */
  readonly mounts: Readonly<Record<string, IndexedMount>>;
  /** Base images of the last build: reference as written → digest (to explain a changed base). */
  readonly bases: Readonly<Record<string, Digest>>;
}

export const indexFormat = 'image-build.cache.v1';

export interface IndexedStep extends CachedStep {
  readonly lastUsed: number;
  /** The step slot that last produced or used it (a few versions per slot are kept). */
  readonly slot?: string;
}

export interface IndexedSlot {
  readonly inputs: KeyInputs;
  readonly lastUsed: number;
}

export interface PackMember {
  readonly digest: Digest;
  readonly size: number;
}

export interface IndexedPack {
  readonly members: readonly PackMember[];
  readonly size: number;
  readonly lastUsed: number;
}

export interface IndexedMount {
  /** The entry key (gha, local) or blob digest (registry) holding the snapshot. */
  readonly entry: string;
  /** Fingerprint of the directory when it was saved (paths, types, modes, owners, sizes, mtimes). */
  readonly fingerprint: string;
  readonly size: number;
  /** The snapshot file's digest, checked before it is extracted (absent in indexes saved before it was kept). */
  readonly digest?: Digest;
  readonly lastUsed: number;
}

export function emptyIndex(scope: string): CacheIndex {
  return { format: indexFormat, scope, savedAt: 0, steps: {}, slots: {}, packs: {}, mounts: {}, bases: {} };
}

/** Parses an index entry; entries that do not have the expected shape are dropped, not trusted. */
export function parseIndex(text: string, source: string): CacheIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CacheError(`cache index ${source} is not valid JSON`, {
      hint: 'it is ignored; the next save replaces it',
    });
  }
  if (!isRecord(raw) || raw['format'] !== indexFormat || typeof raw['scope'] !== 'string') {
    throw new CacheError(`cache index ${source} has an unknown format`, {
      hint: 'it was written by another image-build version; the next save replaces it',
    });
  }
  return {
    format: indexFormat,
    scope: raw['scope'],
    savedAt: typeof raw['savedAt'] === 'number' ? raw['savedAt'] : 0,
    steps: filterRecord(raw['steps'], isIndexedStep),
    slots: filterRecord(
      raw['slots'],
      (v): v is IndexedSlot => isRecord(v) && isRecord(v['inputs']) && isTime(v['lastUsed']),
    ),
    packs: filterRecord(raw['packs'], isIndexedPack),
    mounts: filterRecord(raw['mounts'], isIndexedMount),
    bases: filterRecord(raw['bases'], (v): v is Digest => typeof v === 'string' && isDigest(v)),
  };
}

/** The file of an index entry (gha, local): gzip'd JSON, a few kilobytes even with hundreds of steps. */
export const indexFileName = 'index.json.gz';

export async function writeIndexFile(dir: string, index: CacheIndex): Promise<void> {
  await writeFile(join(dir, indexFileName), gzipSync(JSON.stringify(index)));
}

export async function readIndexFile(dir: string, source: string): Promise<CacheIndex> {
  let text: string;
  try {
    text = gunzipSync(await readFile(join(dir, indexFileName))).toString('utf8');
  } catch (err) {
    throw new CacheError(`cache index ${source} cannot be read: ${describeError(err)}`, {
      hint: 'it is ignored; the next save replaces it',
    });
  }
  return parseIndex(text, source);
}

/** Where each blob lives: digest → pack key (the first good pack holding it). */
export function blobLocations(index: CacheIndex, bad: ReadonlySet<string> = new Set()): Map<Digest, string> {
  const out = new Map<Digest, string>();
  for (const [key, pack] of Object.entries(index.packs)) {
    if (bad.has(key)) continue;
    for (const m of pack.members) if (!out.has(m.digest)) out.set(m.digest, key);
  }
  return out;
}

function isIndexedStep(v: unknown): v is IndexedStep {
  if (!isRecord(v) || typeof v['key'] !== 'string' || !isDigest(v['key'])) return false;
  if (!isRecord(v['inputs']) || typeof v['created'] !== 'string' || !isTime(v['lastUsed'])) return false;
  if (v['slot'] !== undefined && typeof v['slot'] !== 'string') return false;
  const layer = v['layer'];
  if (!isRecord(layer) || typeof layer['diffId'] !== 'string' || !isDigest(layer['diffId'])) return false;
  const d = layer['descriptor'];
  return isRecord(d) && typeof d['mediaType'] === 'string' && isMember(d);
}

function isIndexedPack(v: unknown): v is IndexedPack {
  return (
    isRecord(v) &&
    Array.isArray(v['members']) &&
    v['members'].every(isMember) &&
    isSize(v['size']) &&
    (v['digest'] === undefined || (typeof v['digest'] === 'string' && isDigest(v['digest']))) &&
    isTime(v['lastUsed'])
  );
}

function isIndexedMount(v: unknown): v is IndexedMount {
  return (
    isRecord(v) &&
    typeof v['entry'] === 'string' &&
    typeof v['fingerprint'] === 'string' &&
    isSize(v['size']) &&
    isTime(v['lastUsed'])
  );
}

function isMember(v: unknown): v is PackMember {
  return isRecord(v) && typeof v['digest'] === 'string' && isDigest(v['digest']) && isSize(v['size']);
}

function isSize(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function filterRecord<T>(v: unknown, keep: (x: unknown) => x is T): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) if (keep(x)) out[k] = x;
  return out;
}
