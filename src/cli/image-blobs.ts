/**
 * The blobs of one image in the local store, and getting them all there: a build may leave base image layers
 * unfetched when no step needed their files (the builder downloads lazily); exports and pushes need every blob.
 */
import { InternalError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Descriptor } from '../oci/types.js';
import type { Reference } from '../registry/reference.js';
import type { ImageStore } from '../store/types.js';
import type { RegistryClients } from './registry-clients.js';

/** A single-platform image: its manifest and the blobs it references (config first, then layers). */
export interface ImageBlobs {
  readonly manifest: Descriptor;
  readonly blobs: readonly Descriptor[];
}

/**
 * Downloads every blob of `image` that the store lacks from the first of `origins` (the base images it was
 * built from) that has it. Throws InternalError naming the blob when none has it.
 */
export async function fetchMissingBlobs(
  store: ImageStore,
  image: ImageBlobs,
  origins: readonly Reference[],
  clients: RegistryClients,
  logger: Logger,
): Promise<number> {
  let fetched = 0;
  for (const blob of image.blobs) {
    if (await store.has(blob.digest)) continue;
    if (!(await fetchFromOrigins(store, blob, origins, clients, logger))) {
      throw new InternalError(
        `blob ${blob.digest} of image ${image.manifest.digest} is not in the store ${store.root}`,
        {
          hint: 'build again with --pull so the base image layers are downloaded',
        },
      );
    }
    fetched++;
  }
  return fetched;
}

async function fetchFromOrigins(
  store: ImageStore,
  blob: Descriptor,
  origins: readonly Reference[],
  clients: RegistryClients,
  logger: Logger,
): Promise<boolean> {
  for (const origin of origins) {
    const client = clients.get(origin.registry);
    if (!(await client.blobExists(origin.repository, blob.digest).catch(() => false))) continue;
    logger.debug(`fetching ${blob.digest} from ${origin.registry}/${origin.repository}`);
    const stream = await client.fetchBlob(origin.repository, blob.digest, blob.size);
    await store.putStream(stream, { digest: blob.digest, size: blob.size });
    return true;
  }
  return false;
}
