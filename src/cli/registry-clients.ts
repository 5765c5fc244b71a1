import { join } from 'node:path';
import type { Logger } from '../log.js';
import { RegistryClient } from '../registry/client.js';
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
export class RegistryClients {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly options: RegistryClientsOptions) {}

  get(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      client = new RegistryClient({
        registry,
        logger: this.options.logger,
        dockerConfigPath: dockerConfigPath(this.options.env, this.options.homeDir),
        helperEnv: { PATH: this.options.env['PATH'] },
        insecureRegistries: this.options.insecureRegistries,
        userAgent: `image-build/${cliVersion}`,
      });
      this.clients.set(registry, client);
    }
    return client;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const dir = env['DOCKER_CONFIG'];
  return dir ? join(dir, 'config.json') : join(homeDir, '.docker', 'config.json');
}
