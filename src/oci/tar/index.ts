export * from './errors.js';
export { hasValidChecksum as isTarHeaderBlock } from './header-decode.js';
export * from './reader.js';
export type * from './types.js';
export * from './writer.js';
