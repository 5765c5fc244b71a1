import { readFile } from 'node:fs/promises';
import type { CachedStep } from '../build/layer-cache.js';
import type { Digest } from '../oci/digest.js';
import type { KeyInputs } from '../plan/cache-key.js';
import type { CacheIndex } from './cache-index.js';
import type { OpenedMount } from './mount-save.js';
import type { CacheAccess, CacheBackendKind, CacheReport, TransferTotals } from './types.js';

export const sessionFormat = 'image-build.cache-session.v1';

/** What one run knows about its cache, serialisable so the action's post step can save it. */
export interface SessionState {
  readonly format: typeof sessionFormat;
  readonly backend: CacheBackendKind;
  readonly index: CacheIndex;
  readonly origin: CacheReport['index'];
  readonly steps: readonly CachedStep[];
  readonly slots: readonly (readonly [string, KeyInputs])[];
  readonly stepSlots: readonly (readonly [Digest, string])[];
  readonly bases: Readonly<Record<string, Digest>>;
  readonly badUnits: readonly string[];
  readonly mounts: readonly OpenedMount[];
  /** Step keys looked up: found, and not found. */
  readonly lookups: { readonly hits: readonly Digest[]; readonly misses: readonly Digest[] };
  readonly restored: TransferTotals;
  readonly access: CacheAccess;
  readonly warnings: readonly string[];
}

/** Reads a suspended session (`suspend`); undefined when the file is missing or not one. */
export async function readSessionState(file: string): Promise<SessionState | undefined> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as SessionState;
    return raw.format === sessionFormat ? raw : undefined;
  } catch {
    return undefined;
  }
}
