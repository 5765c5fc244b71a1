export * from './digest.js';
export * from './media-types.js';
export * from './platform.js';
export type * from './types.js';
