export {
  parseReference,
  formatReference,
  familiarReference,
  registryApiHost,
  isValidTag,
  dockerHubRegistry,
  type Reference,
  type ParseReferenceOptions,
} from './reference.js';
export { RegistryClient, type RegistryClientOptions, type AccessHint } from './client.js';
export { RegistryClientPool } from './client-pool.js';
export { dockerConfigPath } from './auth/docker-config.js';
export type { FetchedManifest, ManifestHead } from './manifest-ops.js';
export type { BlobContent, MountResult } from './blob-ops.js';
export type { Credentials } from './auth/credentials.js';
export { parseChallenges, typedChallenges, type Challenge } from './auth/challenge.js';
export {
  endpointPolicy,
  isLoopbackRegistry,
  isListedInsecure,
  type EndpointPolicy,
  type Scheme,
} from './endpoint.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry.js';
export { describeOperation, type Operation } from './errors.js';
export { pullImage, type PullOptions, type PullResult, type TransferCount } from './pull.js';
export { mapBounded } from './bounded.js';
