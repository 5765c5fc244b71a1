/**
 * The cross-run layer cache (src/cache) in the action: main plans it from the cache inputs and the run,
 * restores its index before the build and suspends the session after; post resumes and saves it. The state
 * main leaves for post (GITHUB_STATE, a file on disk) holds paths and names only, never credentials.
 */
import { join, relative } from 'node:path';
import { openCache, resumeCache, sessionFile } from '../cache/index.js';
import type {
  BackendOptions,
  CacheOptions,
  CacheReport,
  CrossRunCache,
  RunFacts,
  ScopeFacts,
} from '../cache/index.js';
import { silentLogger, systemClock, type Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { hostPlatform } from '../oci/platform.js';
import type { Reference } from '../registry/reference.js';
import { formatBytes, type CacheFacts } from '../report/index.js';
import type { BlobStore } from '../store/types.js';
import { privilegeOf } from './entry.js';
import { GhaCacheStore } from './gha-cache-store.js';
import type { Inputs } from './inputs.js';
import type { RegistryClients } from './registry-clients.js';
import type { Env } from './run-context.js';

/** Where the cache lives, without credentials (they come from the inputs again in post). */
export type CacheBackendRecord =
  | { readonly kind: 'gha' }
  | { readonly kind: 'local'; readonly dir: string }
  | {
      readonly kind: 'registry';
      readonly registry: string;
      readonly repository: string;
      readonly mountFrom: readonly string[];
      readonly tagPrefix?: string;
    };

/** Everything post needs to resume the session main suspended. */
export interface CacheRecord {
  readonly backend: CacheBackendRecord;
  readonly scope: ScopeFacts;
  readonly run: RunFacts;
  /** The builder's work root (`<it>/cache-io` is the cache's staging area). */
  readonly workRoot: string;
  readonly storeRoot: string;
  readonly readOnlyReason?: string;
  readonly budget: { readonly layers: number; readonly mounts: number };
}

export type CachePlan =
  { readonly kind: 'off'; readonly reason: string } | { readonly kind: 'on'; readonly record: CacheRecord };

export interface CachePlanFacts {
  readonly inputs: Inputs;
  readonly env: Env;
  /** False for fork pull requests: the cache is read-only. */
  readonly trusted: boolean;
  /** Why the cache only restores in this run (the run policy's `cacheReadOnly`). */
  readonly cacheReadOnly?: string;
  readonly targets: readonly Reference[];
  readonly workRoot: string;
  readonly storeRoot: string;
  /** `repository.default_branch` of the event payload. */
  readonly defaultBranch?: string;
}

export function planCache(f: CachePlanFacts): CachePlan {
  const setting = f.inputs.cache;
  if (setting.kind === 'off') return { kind: 'off', reason: 'the cache input is false' };
  let backend: CacheBackendRecord;
  if (setting.kind === 'gha') {
    if (!GhaCacheStore.available()) {
      return {
        kind: 'off',
        reason: "GitHub's cache service is not available to this job (ACTIONS_RESULTS_URL is not set)",
      };
    }
    backend = { kind: 'gha' };
  } else if (setting.kind === 'local') {
    backend = { kind: 'local', dir: setting.path };
  } else {
    const ref = setting.reference ?? f.targets[0];
    if (!ref) return { kind: 'off', reason: 'the registry cache needs cache-ref or an image to push to' };
    const mountFrom = [
      ...new Set(f.targets.filter((t) => t.registry === ref.registry).map((t) => t.repository)),
    ];
    backend = {
      kind: 'registry',
      registry: ref.registry,
      repository: ref.repository,
      mountFrom,
      ...(setting.tagPrefix ? { tagPrefix: setting.tagPrefix } : {}),
    };
  }
  const ref = f.env['GITHUB_REF'] ?? '';
  const readOnlyReason =
    f.cacheReadOnly ??
    (!f.trusted
      ? 'pull request from a fork: restore only'
      : backend.kind === 'gha'
        ? new GhaCacheStore({
            ioRoot: '',
            logger: silentLogger,
            cacheMode: f.env['ACTIONS_CACHE_MODE'] ?? '',
          }).readOnlyReason()
        : undefined);
  const record: CacheRecord = {
    backend,
    scope: {
      ref,
      ...(f.defaultBranch ? { defaultRef: `refs/heads/${f.defaultBranch}` } : {}),
      platform: hostPlatform(),
      dockerfile: relative(f.inputs.workspace, f.inputs.file) || f.inputs.file,
    },
    run: { id: f.env['GITHUB_RUN_ID'] || 'local', attempt: Number(f.env['GITHUB_RUN_ATTEMPT'] ?? 1) || 1 },
    workRoot: f.workRoot,
    storeRoot: f.storeRoot,
    ...(readOnlyReason ? { readOnlyReason } : {}),
    budget: f.inputs.cacheBudget,
  };
  return { kind: 'on', record };
}

export interface CacheDeps {
  readonly clients: RegistryClients;
  readonly store: BlobStore;
  readonly logger: Logger;
  readonly env: Env;
}

export function cacheOptions(record: CacheRecord, deps: CacheDeps): CacheOptions {
  return {
    backend: backendOptions(record, deps),
    scope: record.scope,
    run: record.run,
    store: deps.store,
    workRoot: record.workRoot,
    budgetBytes: record.budget.layers,
    mountBudgetBytes: record.budget.mounts,
    ...(record.readOnlyReason ? { readOnly: true, readOnlyReason: record.readOnlyReason } : {}),
    privilege: privilegeOf(deps.env),
    hostEnv: { PATH: deps.env['PATH'] || '/usr/sbin:/usr/bin:/sbin:/bin' },
    logger: deps.logger,
    clock: systemClock,
  };
}

function backendOptions(record: CacheRecord, deps: CacheDeps): BackendOptions {
  const b = record.backend;
  switch (b.kind) {
    case 'gha':
      return {
        kind: 'gha',
        store: new GhaCacheStore({
          ioRoot: join(record.workRoot, 'cache-io'),
          logger: deps.logger,
          cacheMode: deps.env['ACTIONS_CACHE_MODE'] ?? '',
        }),
      };
    case 'local':
      return { kind: 'local', dir: b.dir };
    case 'registry':
      return {
        kind: 'registry',
        client: deps.clients.get(b.registry),
        repository: b.repository,
        mountFrom: b.mountFrom,
        ...(b.tagPrefix ? { tagPrefix: b.tagPrefix } : {}),
      };
  }
}

/** Main: restores the index (never fails: a broken cache is a warning and a cold start). */
export async function openActionCache(plan: CachePlan, deps: CacheDeps): Promise<CrossRunCache | undefined> {
  if (plan.kind === 'off') {
    deps.logger.info(`cross-run cache off: ${plan.reason}`);
    return undefined;
  }
  return openCache(cacheOptions(plan.record, deps));
}

/** Main, after the build: leaves the session for post. */
export async function suspendActionCache(
  cache: CrossRunCache,
  record: CacheRecord,
  bases: ReadonlyMap<string, Digest>,
): Promise<void> {
  cache.noteBuild({ bases });
  await cache.suspend(sessionFile(record.workRoot));
}

/** Post: saves what the build used. Never throws (the cache saves with warnings). */
export async function saveActionCache(record: CacheRecord, deps: CacheDeps): Promise<CacheReport> {
  const cache = await resumeCache(cacheOptions(record, deps), sessionFile(record.workRoot));
  return cache.save();
}

/** The cache as the summary shows it. */
export function cacheFacts(plan: CachePlan, cache: CrossRunCache | undefined): CacheFacts {
  if (plan.kind === 'off' || !cache)
    return { kind: 'off', reason: plan.kind === 'off' ? plan.reason : 'not opened' };
  const r = cache.report();
  const from =
    r.index.kind === 'none'
      ? 'cold cache'
      : r.index.from === 'scope'
        ? 'index restored'
        : 'index restored from the default branch';
  const parts = [from, `${r.lookups.hits} hits, ${r.lookups.misses} misses`];
  if (r.restored.bytes > 0) parts.push(`${formatBytes(r.restored.bytes)} downloaded`);
  if (r.access.kind === 'read-only') parts.push(r.access.reason);
  else parts.push('saved in the post step');
  return { kind: 'on', backend: r.backend, writable: r.access.kind === 'read-write', note: parts.join('; ') };
}
