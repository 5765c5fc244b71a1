import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { RegistryClient } from '../registry/client.js';
import type { Inputs, RegistryLogin } from './inputs.js';
import type { Env } from './run-context.js';

export interface RegistryClientsOptions {
  /** The `registry` input and its credentials. */
  readonly registry: string;
  readonly login?: RegistryLogin;
  readonly insecureRegistries: readonly string[];
  /** Docker's config.json (docker/login-action writes it); used for registries without explicit credentials. */
  readonly dockerConfigPath?: string;
  /** False for pull requests from forks: every registry is used anonymously. */
  readonly trusted: boolean;
  readonly logger: Logger;
  readonly helperEnv: Readonly<Record<string, string | undefined>>;
}

/** One RegistryClient per registry host for the whole run (pulls of base images, tag lists, the push). */
export class RegistryClients {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly options: RegistryClientsOptions) {}

  get(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      client = new RegistryClient(this.clientOptions(registry));
      this.clients.set(registry, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private clientOptions(registry: string): ConstructorParameters<typeof RegistryClient>[0] {
    const o = this.options;
    const base = {
      registry,
      logger: o.logger,
      insecureRegistries: o.insecureRegistries,
      helperEnv: o.helperEnv,
      userAgent: 'image-build-action',
    };
    if (!o.trusted) return base;
    if (o.login && registry === o.registry) {
      return { ...base, credentials: { username: o.login.username, password: o.login.password } };
    }
    return o.dockerConfigPath ? { ...base, dockerConfigPath: o.dockerConfigPath } : base;
  }
}

/** The run's clients: the `registry` input's credentials, Docker's config for the rest (unless untrusted). */
export function registryClientsFor(
  inputs: Inputs,
  env: Env,
  trusted: boolean,
  logger: Logger,
): RegistryClients {
  return new RegistryClients({
    registry: inputs.registry,
    ...(inputs.login ? { login: inputs.login } : {}),
    insecureRegistries: inputs.insecureRegistries,
    dockerConfigPath: join(env['DOCKER_CONFIG'] || join(homedir(), '.docker'), 'config.json'),
    trusted,
    logger,
    helperEnv: { PATH: env['PATH'] },
  });
}
