import type { Logger } from '../log.js';
import { dockerConfigPath } from '../registry/auth/docker-config.js';
import { RegistryClientPool } from '../registry/client-pool.js';
import { cliVersion } from './version.js';

export interface RegistryClientsOptions {
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly insecureRegistries: readonly string[];
}

/**
 * One RegistryClient per registry host, memoised, with Docker's credentials: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` (auths, credsStore, credHelpers), helpers found on PATH.
 */
export class RegistryClients extends RegistryClientPool {
  constructor(options: RegistryClientsOptions) {
    super((registry) => ({
      registry,
      logger: options.logger,
      dockerConfigPath: dockerConfigPath(options.env, options.homeDir),
      helperEnv: { PATH: options.env['PATH'] },
      insecureRegistries: options.insecureRegistries,
      userAgent: `image-build/${cliVersion}`,
    }));
  }
}
