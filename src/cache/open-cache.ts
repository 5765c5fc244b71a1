import { join } from 'node:path';
import { CacheError } from '../errors.js';
import type { SessionOptions } from './cache-session.js';
import { readSessionState, type SessionState } from './session-state.js';
import type { CrossRunCache } from './cross-run-cache.js';
import { LocalCacheStore } from './local-cache-store.js';
import { PackedCache } from './packed-cache.js';
import { RegistryCache } from './registry-cache.js';
import type { CacheOptions } from './types.js';

/**
 * Opens the cross-run cache for one build: restores the scope's index (or the default branch's) and returns
 * the `LayerCache` to hand to the builder. Never throws for cache trouble: a cache that cannot be read is a
 * warning (in the report) and a cache that misses everything.
 */
export async function openCache(options: CacheOptions): Promise<CrossRunCache> {
  const cache = create(options);
  await cache.loadIndex();
  return cache;
}

/**
 * The cache of a run whose main process called `suspend(file)`: the action's post step saves with it. When the
 * file is missing (main stopped before the build), the cache has nothing recorded and saves nothing.
 */
export async function resumeCache(options: CacheOptions, file: string): Promise<CrossRunCache> {
  const state = await readSessionState(file);
  if (state && state.backend !== options.backend.kind)
    throw new CacheError(
      `cache state ${file} is for the ${state.backend} backend, not ${options.backend.kind}`,
    );
  return create(options, state);
}

/** Where the action keeps the suspended session between main and post. */
export function sessionFile(workRoot: string): string {
  return join(workRoot, 'cache-io', 'session.json');
}

function create(options: CacheOptions, state?: SessionState): PackedCache | RegistryCache {
  const { backend, ...rest } = options;
  const o: SessionOptions = rest;
  switch (backend.kind) {
    case 'gha':
      return new PackedCache(o, backend.store, state);
    case 'local':
      return new PackedCache(o, new LocalCacheStore(backend.dir, options.clock), state);
    case 'registry':
      return new RegistryCache(o, backend, state);
  }
}
