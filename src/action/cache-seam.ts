/**
 * The seam between the action and the cross-run layer cache (issue 6, src/cache): main opens it before the
 * build and hands its LayerCache to the builder; post saves what the build used. Until the cache module is in
 * this build, the run says plainly that there is no cross-run cache.
 */
import type { LayerCache } from '../build/layer-cache.js';
import type { Logger } from '../log.js';
import type { CacheFacts } from '../report/index.js';
import type { CacheSetting } from './parse-cache.js';

export interface OpenedCache {
  readonly layerCache?: LayerCache;
  readonly facts: CacheFacts;
  /** What post needs to save (GITHUB_STATE); empty when there is nothing to save. */
  readonly state: string;
}

export interface CacheRunFacts {
  /** False for pull requests from forks: restore only. */
  readonly writable: boolean;
  readonly workRoot: string;
  readonly logger: Logger;
}

export async function openCrossRunCache(setting: CacheSetting, run: CacheRunFacts): Promise<OpenedCache> {
  if (setting.kind === 'off')
    return { facts: { kind: 'off', reason: 'the cache input is false' }, state: '' };
  run.logger.info(
    `cross-run cache (${setting.kind}): not available in this version; steps are cached on this runner only`,
  );
  return {
    facts: { kind: 'off', reason: `the ${setting.kind} cache backend is not available in this version` },
    state: '',
  };
}

/** Post: saves the cache described by `state`. Never throws: a cache problem is a warning. */
export async function saveCrossRunCache(state: string, logger: Logger): Promise<void> {
  if (state === '') return;
  logger.debug(`cache state to save: ${state.length} bytes`);
}
