/**
 * Inputs + run context → the tag engine's Metadata and the references to push. Wires `latest=newest` to the
 * registry's tag list, pins the `created` label to SOURCE_DATE_EPOCH (so a rebuilt commit keeps its digest), and
 * accepts build-push-action's full references in `tags`.
 */
import { RegistryError } from '../errors.js';
import type { Clock, Logger } from '../log.js';
import { metadataActionJson } from '../report/index.js';
import { formatReference, parseReference, type Reference } from '../registry/reference.js';
import { computeMetadata, type ExistingTagLister, type KeyValue, type Metadata } from '../tags/index.js';
import type { Inputs } from './inputs.js';
import type { RegistryClients } from './registry-clients.js';
import type { Env, RunContext } from './run-context.js';

export interface TagPlan {
  readonly metadata: Metadata;
  /** Where the image goes, in output order; empty when no tag was generated. */
  readonly targets: readonly Reference[];
}

const createdKey = 'org.opencontainers.image.created';
const versionKey = 'org.opencontainers.image.version';

export async function planTags(
  inputs: Inputs,
  run: RunContext,
  clients: RegistryClients,
  env: Env,
  clock: Clock,
  logger: Logger,
): Promise<TagPlan> {
  const now = clock.now();
  let metadata = await computeMetadata({
    context: run.git,
    images: inputs.images,
    tags: inputs.tags.kind === 'rules' ? inputs.tags.text : undefined,
    flavor: inputs.flavor,
    labels: inputs.labels,
    annotations: inputs.annotations,
    env: {
      DOCKER_METADATA_PR_HEAD_SHA: env['DOCKER_METADATA_PR_HEAD_SHA'],
      DOCKER_METADATA_SHORT_SHA_LENGTH: env['DOCKER_METADATA_SHORT_SHA_LENGTH'],
      DOCKER_METADATA_ANNOTATIONS_LEVELS: env['DOCKER_METADATA_ANNOTATIONS_LEVELS'],
    },
    clock: { now: () => now },
    logger,
    listExistingTags: registryTagLister(clients),
  });
  if (run.sourceDateEpoch !== undefined) {
    const epoch = new Date(run.sourceDateEpoch * 1000).toISOString();
    metadata = replaceValue(metadata, createdKey, now.toISOString(), epoch);
  }
  if (inputs.tags.kind === 'references') return referencePlan(metadata, inputs.tags.references);
  if (metadata.images.length === 0) {
    if (metadata.tags.length > 0)
      logger.warn('no image name is enabled in images, so nothing will be pushed');
    return { metadata, targets: [] };
  }
  return { metadata, targets: metadata.tags.map((t) => parseReference(t, { input: 'images' })) };
}

/** build-push-action style: the references as given; version is the first tag. */
function referencePlan(computed: Metadata, references: readonly Reference[]): TagPlan {
  const tags = references.map(formatReference);
  const images = [...new Set(references.map((r) => `${r.registry}/${r.repository}`))];
  const tagNames = [...new Set(references.map((r) => r.tag ?? 'latest'))];
  const version = tagNames[0] ?? '';
  const relabelled = replaceValue(computed, versionKey, computed.version, version);
  const metadata: Metadata = {
    ...relabelled,
    version,
    images,
    tags,
    tagNames,
    latest: tagNames.includes('latest'),
  };
  return { metadata: { ...metadata, json: metadataActionJson(metadata) }, targets: references };
}

/** Changes a default label/annotation value, unless the user's own lines already replaced it. */
function replaceValue(metadata: Metadata, key: string, from: string, to: string): Metadata {
  const swap = <T extends KeyValue>(kv: T): T =>
    kv.key === key && kv.value === from ? { ...kv, value: to } : kv;
  const next = {
    ...metadata,
    labels: metadata.labels.map(swap),
    annotations: metadata.annotations.map(swap),
  };
  return { ...next, json: metadataActionJson(next) };
}

/** `latest=newest`: the registry's tags of an image; a repository that does not exist yet has none. */
function registryTagLister(clients: RegistryClients): ExistingTagLister {
  return async (image) => {
    const ref = parseReference(image, { input: 'images' });
    try {
      return await clients.get(ref.registry).listTags(ref.repository);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return [];
      throw err;
    }
  };
}
