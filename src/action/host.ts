/** The machine side of a run: our work directory, the content store, and the BuildHost the builder gets. */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerCache } from '../build/layer-cache.js';
import type { BuildHost } from '../build/types.js';
import { systemClock } from '../log.js';
import { openStore } from '../store/index.js';
import { privilegeOf } from './entry.js';
import type { ActionLogger } from './logger.js';
import type { RegistryClients } from './registry-clients.js';
import type { Env } from './run-context.js';

/**
 * `$RUNNER_TEMP/image-build/<step>`: the same path on every run of the step (the cache stages files under it),
 * separate for two image-build steps of one job (each post cleans up its own).
 */
export function workRootFor(env: Env): string {
  const step = (env['GITHUB_ACTION'] ?? 'step').replace(/[^A-Za-z0-9_.-]/g, '_') || 'step';
  return join(env['RUNNER_TEMP'] || tmpdir(), 'image-build', step);
}

export interface HostParts {
  readonly workRoot: string;
  readonly clients: RegistryClients;
  readonly logger: ActionLogger;
  readonly env: Env;
  readonly cache?: LayerCache;
  /** Aborted when the workflow is cancelled: the builder stops and cleans up. */
  readonly signal?: AbortSignal;
}

export async function makeBuildHost(parts: HostParts): Promise<BuildHost> {
  await mkdir(parts.workRoot, { recursive: true, mode: 0o700 });
  const store = await openStore(join(parts.workRoot, 'store'));
  return {
    workRoot: join(parts.workRoot, 'work'),
    store,
    registry: (registry) => parts.clients.get(registry),
    privilege: privilegeOf(parts.env),
    hostEnv: { PATH: parts.env['PATH'] || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    resolvConf: '/etc/resolv.conf',
    logger: parts.logger,
    clock: systemClock,
    ...(parts.cache ? { cache: parts.cache } : {}),
    ...(parts.signal ? { signal: parts.signal } : {}),
    onStep: (event) => parts.logger.onStep(event),
  };
}
