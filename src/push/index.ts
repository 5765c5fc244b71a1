export { pushImage, type PushOptions } from './push-image.js';
export type {
  BlobOutcome,
  BlobStats,
  PushProgress,
  PushResult,
  TagOutcome,
  TargetPushResult,
  TransferCount,
} from './types.js';
