import { homedir } from 'node:os';
import type { Logger } from '../log.js';
import { dockerConfigPath } from '../registry/auth/docker-config.js';
import type { RegistryClientOptions } from '../registry/client.js';
import { RegistryClientPool } from '../registry/client-pool.js';
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
export class RegistryClients extends RegistryClientPool {
  constructor(options: RegistryClientsOptions) {
    super((registry) => clientOptions(options, registry));
  }
}

function clientOptions(o: RegistryClientsOptions, registry: string): RegistryClientOptions {
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
    dockerConfigPath: dockerConfigPath(env, homedir()),
    trusted,
    logger,
    helperEnv: { PATH: env['PATH'] },
  });
}
