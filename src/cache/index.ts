export { openCache, resumeCache, sessionFile } from './open-cache.js';
export type { CrossRunCache } from './cross-run-cache.js';
export {
  defaultBudgetBytes,
  defaultMountBudgetBytes,
  defaultPackMaxBytes,
  type BackendOptions,
  type CacheAccess,
  type CacheBackendKind,
  type CacheOptions,
  type CacheReport,
  type RunFacts,
  type ScopeFacts,
  type TransferTotals,
} from './types.js';
export type { CacheStore, EntryInfo, EntryKind, RestoredEntry, SaveOutcome } from './cache-store.js';
export { LocalCacheStore } from './local-cache-store.js';
export { explainSteps, formatExplanation, explanationMarkdown } from './explain.js';
export type { StepExplanation, ExplainedChange, BaseDigests } from './explain.js';
export { parseByteSize } from './byte-size.js';
export { measureSave, type SaveMeasure } from './measure.js';
export { scopeId, indexKey, indexPrefix, packKey, mountKey, registryTag, keyPrefix } from './scope.js';
