import { formatBytes, formatRate, inlineCode, shortDigest, tableCell } from './format.js';
import { compressedSize, layerRows, type LayerOrigin } from './layer-rows.js';
import { cacheStats } from './step-rows.js';
import type { RunReport } from './types.js';

/** The hidden line that finds this image's comment again on the next run: `<!-- image-build:<image> -->`. */
export function commentMarker(image: string): string {
  return `<!-- image-build:${image.replace(/--/g, '- -')} -->`;
}

/**
 * The pull-request comment for a pushed preview: the pull command, digest, compressed size, cache hit rate and
 * the layer table. Starts with the marker so a later run updates it instead of adding another.
 */
export function prCommentMarkdown(report: RunReport): string {
  const name = report.metadata.images[0] ?? '';
  const pullRef = report.metadata.tags[0] ?? `${name}@${report.image.descriptor.digest}`;
  const stats = cacheStats(report.steps);
  const steps = stats.cached + stats.built;
  const layers = layerRows(report.image, report.steps);
  return [
    commentMarker(name),
    `### 🐳 Preview image ${inlineCode(pullRef)}`,
    '',
    '```sh',
    `docker pull ${pullRef}`,
    '```',
    '',
    '| | |',
    '| --- | --- |',
    `| Digest | ${inlineCode(report.image.descriptor.digest)} |`,
    `| Compressed size | ${formatBytes(compressedSize(report.image))} in ${layers.length} layers |`,
    `| Cache hit rate | ${formatRate(stats.cached, steps)} (${stats.cached} of ${steps} steps) |`,
    `| Commit | ${inlineCode(revisionOf(report))} |`,
    '',
    `<details><summary>Layers (${layers.length})</summary>`,
    '',
    '| # | Layer | Size | Created by | Source |',
    '| ---: | --- | ---: | --- | --- |',
    ...layers.map(
      (l, i) =>
        `| ${i + 1} | ${inlineCode(shortDigest(l.digest))} | ${formatBytes(l.size)} | ${inlineCode(tableCell(l.createdBy, 60))} | ${originText[l.origin]} |`,
    ),
    '',
    '</details>',
    '',
  ].join('\n');
}

const originText: Readonly<Record<LayerOrigin, string>> = {
  base: 'base image',
  cached: '✅ cached',
  built: '🔨 built',
};

function revisionOf(report: RunReport): string {
  const label = report.metadata.labels.find((l) => l.key === 'org.opencontainers.image.revision');
  return (label?.value ?? '').slice(0, 12) || 'unknown';
}
