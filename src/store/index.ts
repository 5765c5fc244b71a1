export * from './open-store.js';
export * from './export.js';
export * from './blob-errors.js';
export { ociLayoutContent, refNameAnnotation } from './layout-index.js';
export type * from './types.js';
