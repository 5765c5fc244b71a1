import { formatBytes, formatDuration, formatRate, inlineCode, tableCell } from './format.js';
import { compressedSize } from './layer-rows.js';
import { cacheStats, stepRows, type StepRow } from './step-rows.js';
import type { CacheFacts, ExportFact, Publication, RunReport } from './types.js';

/** The job summary: what was built and pushed, then a table of every step with its cache status. */
export function summaryMarkdown(report: RunReport): string {
  const title = report.metadata.images[0] ?? 'image';
  return [
    `### image-build: ${inlineCode(title)}`,
    '',
    headline(report),
    '',
    '| | |',
    '| --- | --- |',
    ...factRows(report).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...stepsSection(report),
    ...warningsSection(report.warnings),
  ].join('\n');
}

function headline(report: RunReport): string {
  const stats = cacheStats(report.steps);
  const pushed =
    report.publication.kind === 'pushed'
      ? report.publication.targets.some((t) => t.outcome === 'pushed')
        ? 'pushed'
        : 'already up to date in the registry'
      : 'not pushed';
  return `${capitalise(report.trigger)} · ${stats.built} built, ${stats.cached} cached · ${pushed}`;
}

function factRows(report: RunReport): [string, string][] {
  const image = report.image;
  const rows: [string, string][] = [
    ['Digest', inlineCode(image.descriptor.digest)],
    ['Tags', tagsCell(report)],
    ['Size', `${formatBytes(compressedSize(image))} compressed, ${image.manifest.layers.length} layers`],
    ['Cache', cacheCell(report.cache, report)],
    publicationRow(report.publication),
  ];
  if (report.exports.length > 0) rows.push(['Exported', report.exports.map(exportText).join('<br>')]);
  return rows;
}

function tagsCell(report: RunReport): string {
  const { publication, metadata } = report;
  if (metadata.tags.length === 0) return 'none';
  if (publication.kind !== 'pushed') return metadata.tags.map((t) => inlineCode(t)).join('<br>');
  return publication.targets
    .map((t) => `${inlineCode(t.reference)} ${t.outcome === 'pushed' ? 'pushed' : 'unchanged'}`)
    .join('<br>');
}

function cacheCell(cache: CacheFacts, report: RunReport): string {
  const stats = cacheStats(report.steps);
  const rate = `${stats.cached} of ${stats.cached + stats.built} steps cached (${formatRate(stats.cached, stats.cached + stats.built)})`;
  if (cache.kind === 'off') return `${rate}; cross-run cache off: ${tableCell(cache.reason, 200)}`;
  const mode = cache.writable ? '' : ', read-only';
  const note = cache.note ? `; ${tableCell(cache.note, 200)}` : '';
  return `${rate}; ${inlineCode(cache.backend)} cache${mode}${note}`;
}

function publicationRow(publication: Publication): [string, string] {
  if (publication.kind === 'not-pushed') return ['Push', `not pushed: ${tableCell(publication.reason, 300)}`];
  const { uploaded, mounted, exists } = publication.blobs;
  const parts = [`${uploaded.count} blobs uploaded (${formatBytes(uploaded.bytes)})`];
  if (mounted.count > 0) parts.push(`${mounted.count} mounted`);
  parts.push(`${exists.count} already in the registry`);
  return ['Push', parts.join(', ')];
}

function exportText(e: ExportFact): string {
  const what = { oci: 'OCI layout', 'oci-archive': 'OCI archive', docker: 'Docker archive' }[e.kind];
  return `${what} ${inlineCode(e.path)}`;
}

function stepsSection(report: RunReport): string[] {
  const rows = stepRows(report.steps, report.bases);
  if (rows.length === 0) return [];
  const multiStage = new Set(rows.map((r) => r.stage)).size > 1;
  const stats = cacheStats(report.steps);
  const total = rows.reduce((sum, r) => sum + r.durationMs, 0);
  const bytes = rows.reduce((sum, r) => sum + (r.layerSize ?? 0), 0);
  const stageHead = multiStage ? ' Stage |' : '';
  return [
    '#### Steps',
    '',
    `| # |${stageHead} Instruction | Cache | Time | Layer |`,
    `| ---: |${multiStage ? ' --- |' : ''} --- | --- | ---: | ---: |`,
    ...rows.map((r, i) => stepLine(r, i + 1, multiStage)),
    `| |${multiStage ? ' |' : ''} **Total** | **${stats.built} built, ${stats.cached} cached** | **${formatDuration(total)}** | **${formatBytes(bytes)}** |`,
    '',
  ];
}

function stepLine(row: StepRow, n: number, multiStage: boolean): string {
  const stage = multiStage ? ` ${tableCell(row.stage, 30)} |` : '';
  const size = row.layerSize === undefined ? '' : formatBytes(row.layerSize);
  const cache =
    row.status === 'cached' ? `✅ ${row.cacheText}` : row.status === 'built' ? `🔨 ${row.cacheText}` : '–';
  return `| ${n} |${stage} ${inlineCode(tableCell(row.instruction))} | ${tableCell(cache, 120)} | ${formatDuration(row.durationMs)} | ${size} |`;
}

function warningsSection(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return [];
  return ['> [!WARNING]', ...warnings.map((w) => `> ${w.replace(/\s+/g, ' ')}<br>`), ''];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
