/** Pure reports of a run: outputs, the metadata JSON, the job summary and the PR comment. See README.md. */
export { reportOutputs, metadataJson, type ActionOutputs } from './outputs.js';
export { summaryMarkdown } from './summary-markdown.js';
export { prCommentMarkdown, commentMarker } from './pr-comment-markdown.js';
export { metadataActionJson } from './metadata-text.js';
export { stepRows, cacheStats, missText, type StepRow, type CacheStats } from './step-rows.js';
export { layerRows, compressedSize, type LayerRow, type LayerOrigin } from './layer-rows.js';
export { formatBytes, formatDuration, formatRate, shortDigest, inlineCode, tableCell } from './format.js';
export type * from './types.js';
