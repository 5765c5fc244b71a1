import { formatAnnotation, formatKeyValue } from './labels.js';
import type { Metadata } from './types.js';

/** Output joiners: metadata-action's `sep-tags`, `sep-labels`, `sep-annotations` (default newline). */
export interface OutputSeparators {
  readonly tags?: string;
  readonly labels?: string;
  readonly annotations?: string;
}

/** The text outputs metadata-action sets, by output name. */
export interface MetadataOutputs {
  readonly version: string;
  readonly tags: string;
  readonly 'tag-names': string;
  readonly labels: string;
  readonly annotations: string;
  readonly json: string;
}

export function metadataOutputs(metadata: Metadata, separators: OutputSeparators = {}): MetadataOutputs {
  return {
    version: metadata.version,
    tags: metadata.tags.join(separators.tags ?? '\n'),
    'tag-names': metadata.tagNames.join(separators.tags ?? '\n'),
    labels: metadata.labels.map(formatKeyValue).join(separators.labels ?? '\n'),
    annotations: metadata.annotations.map(formatAnnotation).join(separators.annotations ?? '\n'),
    json: metadata.json,
  };
}
