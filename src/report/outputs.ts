import { metadataOutputs } from '../tags/index.js';
import { cacheStats } from './step-rows.js';
import type { RunReport } from './types.js';

/** The action's outputs by name, as strings (the names are the keys; src/action/names.ts lists them). */
export interface ActionOutputs {
  readonly digest: string;
  readonly imageid: string;
  readonly image: string;
  readonly tags: string;
  readonly 'tag-names': string;
  readonly labels: string;
  readonly annotations: string;
  readonly version: string;
  readonly json: string;
  readonly metadata: string;
}

export function reportOutputs(report: RunReport): ActionOutputs {
  const { image, metadata } = report;
  const first = metadata.images[0];
  return {
    digest: image.descriptor.digest,
    imageid: image.manifest.config.digest,
    image: first === undefined ? '' : `${first}@${image.descriptor.digest}`,
    ...metadataOutputs(metadata),
    metadata: JSON.stringify(metadataJson(report)),
  };
}

/**
 * build-push-action's `metadata` output (the buildx metadata file's keys for an image build), plus ours under
 * `image-build.*`: the tags and what the push did to each, and every step with its cache status.
 */
export function metadataJson(report: RunReport): Record<string, unknown> {
  const { image, metadata, publication } = report;
  const stats = cacheStats(report.steps);
  return {
    'containerimage.config.digest': image.manifest.config.digest,
    'containerimage.descriptor': {
      mediaType: image.descriptor.mediaType,
      digest: image.descriptor.digest,
      size: image.descriptor.size,
    },
    'containerimage.digest': image.descriptor.digest,
    'image.name': metadata.tags.join(','),
    'image-build.push':
      publication.kind === 'pushed'
        ? { pushed: true, targets: publication.targets, blobs: publication.blobs }
        : { pushed: false, reason: publication.reason },
    'image-build.cache': { ...report.cache, cached: stats.cached, built: stats.built },
    'image-build.steps': report.steps.map((s) => ({
      stage: s.stage,
      line: s.line,
      instruction: s.instruction,
      status: s.status,
      ...(s.reason ? { reason: reasonJson(s.reason) } : {}),
      durationMs: s.durationMs,
      ...(s.layer ? { layer: { digest: s.layer.digest, size: s.layer.size } } : {}),
    })),
  };
}

/** A miss reason with the names of the changed inputs only: values may be secrets passed as build args. */
function reasonJson(reason: NonNullable<RunReport['steps'][number]['reason']>): Record<string, unknown> {
  if (reason.kind !== 'inputs-changed') return { kind: reason.kind };
  return { kind: reason.kind, changed: [...new Set(reason.changes.map((c) => c.input))] };
}
