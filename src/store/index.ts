export * from './open-store.js';
export * from './blob-errors.js';
export { refNameAnnotation } from './layout-index.js';
export type * from './types.js';
