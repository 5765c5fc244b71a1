/**
 * Endpoint discovery: `GET /v2/` over each scheme the registry may use (https, then http for loopback and
 * insecure registries). The answer's challenge tells the authorizer how to authenticate. The https probe of a
 * registry that may fall back to http is not retried, so a plain-HTTP registry is found at once.
 */
import { RegistryError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Authorizer } from './auth/authorizer.js';
import { noScopes } from './auth/scope.js';
import { endpointPolicy, isListedInsecure, isLoopbackRegistry } from './endpoint.js';
import { networkError } from './errors.js';
import { registryApiHost } from './reference.js';
import { failureOf, type Endpoint } from './requester.js';
import { isRetryableStatus } from './retry.js';
import { discardResponse, type Transport } from './transport.js';

export interface PingDeps {
  readonly registry: string;
  readonly insecureRegistries: readonly string[];
  readonly transport: Transport;
  readonly authorizer: Authorizer;
  readonly logger: Logger;
  readonly nowMs: () => number;
  readonly retrying: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
}

export async function discoverEndpoint(deps: PingDeps): Promise<Endpoint> {
  const policy = endpointPolicy(deps.registry, deps.insecureRegistries);
  const host = registryApiHost(deps.registry);
  let last: unknown;
  for (const [i, scheme] of policy.schemes.entries()) {
    const endpoint: Endpoint = { base: new URL(`${scheme}://${host}`), verifyTls: policy.verifyTls };
    const fallbackLeft = i < policy.schemes.length - 1;
    try {
      const once = (): Promise<void> => ping(deps, endpoint);
      await (fallbackLeft ? once() : deps.retrying(`GET ${endpoint.base.origin}/v2/`, once));
      deps.logger.debug(`registry ${deps.registry}: using ${endpoint.base.origin}`);
      return endpoint;
    } catch (err) {
      last = err;
      if (!fallbackLeft || !(err instanceof RegistryError) || err.status !== undefined) throw err;
      deps.logger.debug(`registry ${deps.registry}: ${scheme} failed (${err.code}); trying the next scheme`);
    }
  }
  throw last;
}

async function ping(deps: PingDeps, endpoint: Endpoint): Promise<void> {
  const url = new URL('/v2/', endpoint.base);
  const res = await deps.transport
    .send({ method: 'GET', url, verifyTls: endpoint.verifyTls })
    .catch((err: unknown) => Promise.reject(networkError(deps.registry, err)));
  if (isRetryableStatus(res.status)) {
    const spec = {
      op: { kind: 'ping' as const, registry: deps.registry },
      method: 'GET' as const,
      target: url,
      scopes: noScopes,
    };
    throw await failureOf(
      spec,
      { res, auth: { header: undefined, authenticated: false, optionalGranted: true } },
      deps.nowMs,
    );
  }
  await discardResponse(res);
  if (res.status === 401) deps.authorizer.learn(res.header('www-authenticate'));
  else if (res.status !== 200) deps.logger.debug(`GET ${url.href} answered ${res.status}`);
}

/**
 * Whether a token realm's certificate must verify; plain HTTP only for loopback or insecure hosts (credentials
 * travel there), otherwise a RegistryError.
 */
export function realmTls(registry: string, realm: URL, insecure: readonly string[]): boolean {
  const relaxed = isLoopbackRegistry(realm.host) || isListedInsecure(realm.host, insecure);
  if (realm.protocol === 'https:') return !relaxed;
  if (realm.protocol === 'http:' && relaxed) return false;
  throw new RegistryError(`registry ${registry} sent a token realm that is not HTTPS (${realm.origin})`, {
    hint: `list ${realm.host} as an insecure registry if plain HTTP is intended`,
    registry,
  });
}
