import type { Logger } from '../log.js';
import type { Descriptor } from '../oci/types.js';
import { pushImage, type PushResult } from '../push/index.js';
import type { Reference } from '../registry/reference.js';
import type { ImageStore } from '../store/types.js';
import type { RegistryClients } from './registry-clients.js';

export interface PushTargetsOptions {
  readonly store: ImageStore;
  readonly source: Descriptor;
  readonly targets: readonly Reference[];
  readonly clients: RegistryClients;
  readonly logger: Logger;
  /** Images the source was built from: blobs are mounted from their repositories on the same registry. */
  readonly origins?: readonly Reference[];
  /** Aborted on SIGINT/SIGTERM: no further tag is written. */
  readonly signal?: AbortSignal;
  /** For a lazily built image: brings a blob into the store when a target can get it no other way. */
  readonly fetchMissing?: (blob: Descriptor) => Promise<void>;
  /** Called before each registry's push with the references it gets. */
  readonly onRegistry?: (
    registry: string,
    targets: readonly Reference[],
  ) => { done(result: PushResult): void };
}

/** Pushes to every target, one `pushImage` per registry (targets grouped by registry, in the order given). */
export async function pushToTargets(options: PushTargetsOptions): Promise<PushResult[]> {
  const byRegistry = new Map<string, Reference[]>();
  for (const t of options.targets) byRegistry.set(t.registry, [...(byRegistry.get(t.registry) ?? []), t]);
  const results: PushResult[] = [];
  for (const [registry, targets] of byRegistry) {
    const shown = options.onRegistry?.(registry, targets);
    const mountFrom = [
      ...new Set((options.origins ?? []).filter((o) => o.registry === registry).map((o) => o.repository)),
    ];
    const result = await pushImage({
      client: options.clients.get(registry),
      store: options.store,
      source: options.source,
      targets,
      logger: options.logger,
      ...(mountFrom.length > 0 ? { mountFrom } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetchMissing ? { fetchMissing: options.fetchMissing } : {}),
    });
    shown?.done(result);
    results.push(result);
  }
  return results;
}
