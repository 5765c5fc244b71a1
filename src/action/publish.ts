/**
 * The push: per registry, blobs once, then the manifest, then each tag (src/push). A preflight before the
 * build checks every registry answers and accepts the credentials, so a wrong password fails in seconds, not
 * after the build — and no tag ever moves on a failed run.
 */
import type { BuildResult } from '../build/types.js';
import type { Logger } from '../log.js';
import { pushImage } from '../push/index.js';
import { emptyStats, sumStats } from '../push/types.js';
import { formatReference, parseReference, type Reference } from '../registry/reference.js';
import type { Publication, PushedTarget } from '../report/index.js';
import type { ImageStore } from '../store/types.js';
import type { RegistryClients } from './registry-clients.js';

/** HEAD of each target repository's first tag with push access: reachability and credentials, nothing written. */
export async function preflightPush(targets: readonly Reference[], clients: RegistryClients): Promise<void> {
  const firstPerRepository = new Map<string, Reference>();
  for (const t of targets) {
    const key = `${t.registry}/${t.repository}`;
    if (!firstPerRepository.has(key)) firstPerRepository.set(key, t);
  }
  for (const t of firstPerRepository.values()) {
    await clients.get(t.registry).headManifest(t.repository, t.tag ?? 'latest', { push: true });
  }
}

export interface PublishOptions {
  readonly result: BuildResult;
  readonly targets: readonly Reference[];
  readonly clients: RegistryClients;
  readonly store: ImageStore;
  readonly logger: Logger;
  /** Aborted when the workflow is cancelled: no further tag is written. */
  readonly signal?: AbortSignal;
}

export async function publish(options: PublishOptions): Promise<Publication> {
  const { result, logger } = options;
  const pushed: PushedTarget[] = [];
  let blobs = emptyStats();
  for (const [registry, targets] of groupByRegistry(options.targets)) {
    const push = await pushImage({
      client: options.clients.get(registry),
      store: options.store,
      source: result.image.descriptor,
      targets,
      logger,
      mountFrom: baseRepositories(result, registry),
      // Cached layers the build never unpacked are fetched only if the registry cannot get them otherwise.
      fetchMissing: result.fetchMissing,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (event) => {
        if (event.kind !== 'tag') return;
        const ref = formatReference(event.reference);
        logger.info(
          event.outcome === 'pushed'
            ? `pushed ${ref}`
            : `${ref} already points at ${event.digest}: left alone`,
        );
      },
    });
    blobs = sumStats(blobs, push.blobs);
    for (const t of push.targets)
      pushed.push({ reference: formatReference(t.reference), outcome: t.outcome });
  }
  const { uploaded, mounted, exists } = blobs;
  logger.info(
    `blobs: ${uploaded.count} uploaded (${uploaded.bytes} bytes), ${mounted.count} mounted, ${exists.count} already there`,
  );
  return { kind: 'pushed', targets: pushed, blobs };
}

function groupByRegistry(targets: readonly Reference[]): Map<string, Reference[]> {
  const groups = new Map<string, Reference[]>();
  for (const t of targets) groups.set(t.registry, [...(groups.get(t.registry) ?? []), t]);
  return groups;
}

/** Base images on the target registry: their repositories probably hold the base layers (cross-repo mount). */
function baseRepositories(result: BuildResult, registry: string): string[] {
  const repos = new Set<string>();
  for (const ref of result.bases.keys()) {
    const parsed = parseReference(ref);
    if (parsed.registry === registry) repos.add(parsed.repository);
  }
  return [...repos];
}
