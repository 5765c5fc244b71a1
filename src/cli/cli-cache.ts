/**
 * `--cache-dir`: the cross-run layer cache (src/cache) on a local directory, in one process: opened before the
 * build (one index per git ref, platform and Dockerfile), handed to the builder, asked for layers an export or
 * push needs, saved after. Cache problems are warnings, never a failed build (the cache itself never throws).
 */
import type { Privilege } from '../build/rootfs/privilege.js';
import type { BuildResult } from '../build/types.js';
import { explainSteps, formatExplanation, openCache, type CrossRunCache } from '../cache/index.js';
import { readGitFacts, runGit } from '../context/index.js';
import { systemClock, type Logger } from '../log.js';
import type { BlobStore } from '../store/types.js';
import type { BuildOptions } from './build-options.js';

export interface CliCacheContext {
  readonly store: BlobStore;
  readonly workRoot: string;
  readonly privilege: Privilege;
  readonly hostEnv: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Makes this run's index key unique. */
  readonly runId: string;
}

/** Opens the cache when --cache-dir is given. The scope's ref is the context's git branch, else `local`. */
export async function openCliCache(
  options: BuildOptions,
  c: CliCacheContext,
): Promise<CrossRunCache | undefined> {
  if (!options.cache) return undefined;
  const git = await readGitFacts(options.contextDir, runGit);
  const ref = git?.head.kind === 'branch' ? git.head.ref : 'local';
  return openCache({
    backend: { kind: 'local', dir: options.cache.dir },
    scope: {
      ref,
      platform: options.platform,
      dockerfile: options.dockerfile.kind === 'file' ? options.dockerfile.display : 'Dockerfile',
    },
    run: { id: c.runId, attempt: 1 },
    store: c.store,
    workRoot: c.workRoot,
    ...(options.cache.budgetBytes !== undefined ? { budgetBytes: options.cache.budgetBytes } : {}),
    ...(options.cache.mountBudgetBytes !== undefined
      ? { mountBudgetBytes: options.cache.mountBudgetBytes }
      : {}),
    privilege: c.privilege,
    hostEnv: c.hostEnv,
    logger: c.logger,
    clock: systemClock,
  });
}

/** After the build: why steps missed (debug), then save and say what the cache did in one line. */
export async function saveCliCache(
  cache: CrossRunCache | undefined,
  result: BuildResult,
  logger: Logger,
): Promise<void> {
  if (!cache) return;
  cache.noteBuild({ bases: result.bases });
  for (const e of explainSteps(result.steps, { previous: cache.previousBases(), current: result.bases }))
    if (e.outcome === 'miss') logger.debug(formatExplanation(e));
  // the cache's warnings went to this logger as they happened: the report's list is for summaries
  const report = await cache.save();
  logger.info(
    `cache ${report.scope}: ${report.lookups.hits} hits, ${report.lookups.misses} misses; ` +
      `restored ${report.restored.entries} entries (${report.restored.bytes} bytes), ` +
      `saved ${report.saved.entries} (${report.saved.bytes} bytes)`,
  );
}
