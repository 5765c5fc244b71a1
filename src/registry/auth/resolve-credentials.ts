/**
 * Picks the credentials for one registry: explicit options first, then the docker config (`credHelpers` /
 * `credsStore` helper, then `auths`), else anonymous.
 */
import type { Logger } from '../../log.js';
import { runCredentialHelper } from './credential-helper.js';
import { anonymous, type Credentials, type ResolvedCredentials } from './credentials.js';
import {
  credentialHelperFor,
  credentialsFromEntry,
  dockerConfigKey,
  lookupByRegistry,
  readDockerConfig,
} from './docker-config.js';

export interface CredentialOptions {
  /** Explicit credentials (action inputs / CLI flags) win over everything else. */
  readonly credentials?: Credentials;
  /** Path of Docker's config.json (e.g. ~/.docker/config.json); no docker config is read when absent. */
  readonly dockerConfigPath?: string;
  /** Environment for credential helpers; default: inherited. */
  readonly helperEnv?: Readonly<Record<string, string | undefined>>;
}

export async function resolveCredentials(
  registry: string,
  options: CredentialOptions,
  logger: Logger,
): Promise<ResolvedCredentials> {
  const found = await findCredentials(registry, options);
  logger.debug(`registry ${registry}: ${found.credentials.kind} credentials from ${found.origin}`);
  return found;
}

async function findCredentials(registry: string, options: CredentialOptions): Promise<ResolvedCredentials> {
  if (options.credentials && options.credentials.kind !== 'anonymous') {
    return { credentials: options.credentials, origin: 'options' };
  }
  if (options.dockerConfigPath === undefined) return { credentials: anonymous, origin: 'none' };
  const config = await readDockerConfig(options.dockerConfigPath, registry);
  if (!config) return { credentials: anonymous, origin: 'none' };
  const helper = credentialHelperFor(config, registry);
  if (helper !== undefined) {
    const creds = await runCredentialHelper({
      helper,
      serverUrl: dockerConfigKey(registry),
      registry,
      ...(options.helperEnv ? { env: options.helperEnv } : {}),
    });
    if (creds) return { credentials: creds, origin: `docker-credential-${helper}` };
  }
  const entry = lookupByRegistry(config.auths, registry);
  const creds = entry ? credentialsFromEntry(entry, config.path, registry) : undefined;
  if (creds) return { credentials: creds, origin: `docker config ${config.path}` };
  return { credentials: anonymous, origin: 'none' };
}
