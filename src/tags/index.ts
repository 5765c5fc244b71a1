export { computeMetadata } from './compute-metadata.js';
export { gitContextFromGithubEnv } from './github-context.js';
export { metadataOutputs, type MetadataOutputs, type OutputSeparators } from './outputs.js';
export { imageBuildDefaultRules, metadataActionDefaultRules } from './defaults.js';
export { sanitizeTag, sanitizeImageName } from './sanitize.js';
export type { LatestPolicy } from './flavor.js';
export type * from './types.js';
