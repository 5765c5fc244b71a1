import type { Metadata } from '../tags/types.js';

/** metadata-action's `json` output for a Metadata: the shape the tag engine writes, for an adjusted Metadata. */
export function metadataActionJson(
  m: Pick<Metadata, 'tags' | 'tagNames' | 'labels' | 'annotations'>,
): string {
  return JSON.stringify({
    tags: m.tags,
    'tag-names': m.tagNames,
    labels: Object.fromEntries(m.labels.map(({ key, value }) => [key, value])),
    annotations: m.annotations.map((a) => `${a.level}:${a.key}=${a.value}`),
  });
}
