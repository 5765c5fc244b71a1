/**
 * RegistryClient: the OCI distribution API of one registry (manifests, blobs, tags) with auth, retries and
 * typed errors. One client per registry; it keeps its keep-alive connections, endpoint, tokens and quirks.
 */
import type { Readable } from 'node:stream';
import { systemClock, type Clock, type Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { Authorizer, type Authorization } from './auth/authorizer.js';
import type { Credentials, ResolvedCredentials } from './auth/credentials.js';
import { resolveCredentials } from './auth/resolve-credentials.js';
import { repositoryScope, type ScopeSet } from './auth/scope.js';
import { TokenRequestError } from './auth/token.js';
import {
  blobExists,
  fetchBlob,
  mountBlob,
  uploadBlob,
  type BlobContent,
  type MountResult,
} from './blob-ops.js';
import { networkError, retryHintOf, type Operation } from './errors.js';
import {
  deleteManifest,
  getManifest,
  headManifest,
  listTags,
  putManifest,
  type FetchedManifest,
  type ManifestHead,
} from './manifest-ops.js';
import { discoverEndpoint, realmTls } from './ping.js';
import {
  exchangeOnce,
  failureOf,
  type Endpoint,
  type Exchange,
  type Requester,
  type RequestSpec,
} from './requester.js';
import {
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  withRetry,
  type RetryHint,
  type RetryPolicy,
  type RetryTimer,
} from './retry.js';
import { Transport } from './transport.js';

export interface RegistryClientOptions {
  /** The registry as in a reference: `ghcr.io`, `docker.io`, `127.0.0.1:5000`. */
  readonly registry: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Waits between retries; tests pass a recorder that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /** Explicit credentials; `{ username, password }` is Basic. */
  readonly credentials?: Credentials | { readonly username: string; readonly password: string };
  /** Docker's config.json to take credentials from when none are given explicitly. */
  readonly dockerConfigPath?: string;
  /** Environment for docker credential helpers (PATH). */
  readonly helperEnv?: Readonly<Record<string, string | undefined>>;
  /** Registries that may use plain HTTP or an untrusted certificate (loopback ones always may). */
  readonly insecureRegistries?: readonly string[];
  readonly userAgent?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Socket idle timeout in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** Which token scopes a call needs: push access to the repository, and pull access to mount sources. */
export interface AccessHint {
  readonly push?: boolean;
  readonly mountFrom?: readonly string[];
}

export class RegistryClient implements Requester {
  readonly registry: string;
  readonly logger: Logger;
  private readonly authorizer: Authorizer;
  readonly quirks = { monolithicPutRejected: false, mountDenied: new Set<string>() };
  private readonly transport: Transport;
  private readonly timer: RetryTimer;
  private readonly policy: RetryPolicy;
  private endpointPromise: Promise<Endpoint> | undefined;
  private credentialsPromise: Promise<ResolvedCredentials> | undefined;

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = options.registry;
    this.logger = options.logger;
    const clock = options.clock ?? systemClock;
    this.timer = {
      nowMs: () => clock.now().getTime(),
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: options.random ?? Math.random,
    };
    this.policy = { ...defaultRetryPolicy, ...(options.retry ?? {}) };
    this.transport = new Transport({
      userAgent: options.userAgent ?? 'image-build',
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    this.authorizer = new Authorizer({
      registry: this.registry,
      credentials: () => this.credentials(),
      send: async (req) => {
        try {
          return await this.transport.send(req);
        } catch (err) {
          throw networkError(req.url.host, err);
        }
      },
      retry: (what, fn) => this.retrying(what, fn),
      nowMs: () => this.timer.nowMs(),
      logger: this.logger,
      clientId: 'image-build',
      realmTls: (realm) => realmTls(this.registry, realm, options.insecureRegistries ?? []),
    });
  }

  /** Checks the registry answers the v2 API (and learns its auth scheme). */
  async ping(): Promise<void> {
    await this.endpoint();
  }

  getManifest(repository: string, ref: string, accept?: readonly string[]): Promise<FetchedManifest> {
    return getManifest(this, repository, ref, accept);
  }

  /** HEAD of a manifest; undefined when it does not exist. */
  headManifest(repository: string, ref: string, access: AccessHint = {}): Promise<ManifestHead | undefined> {
    return headManifest(this, repository, ref, scopesFor(repository, access));
  }

  /** PUTs manifest bytes by tag or digest; verifies the registry's Docker-Content-Digest; returns the digest. */
  putManifest(
    repository: string,
    ref: string,
    bytes: Uint8Array,
    mediaType: string,
    access: AccessHint = {},
  ): Promise<Digest> {
    return putManifest(
      this,
      repository,
      ref,
      bytes,
      mediaType,
      scopesFor(repository, { ...access, push: true }),
    );
  }

  deleteManifest(repository: string, digest: Digest): Promise<void> {
    return deleteManifest(this, repository, digest, {
      required: [{ repository, actions: ['pull', 'push', 'delete'] }],
      optional: [],
    });
  }

  listTags(repository: string, pageSize?: number): Promise<string[]> {
    return listTags(this, repository, pageSize);
  }

  /** HEAD of a blob: true only for 200 (anything but 200/404 is "unknown", i.e. upload it). */
  blobExists(repository: string, digest: Digest, access: AccessHint = {}): Promise<boolean> {
    return blobExists(this, repository, digest, scopesFor(repository, access));
  }

  /** A stream of the blob that errors at its end unless content matches `digest` (and `size`, if given). */
  fetchBlob(repository: string, digest: Digest, size?: number): Promise<Readable> {
    return fetchBlob(this, repository, digest, size, scopesFor(repository, {}));
  }

  /** Cross-repository mount: `mounted`, or an upload session the registry opened instead (202). */
  mountBlob(repository: string, digest: Digest, from: string, access: AccessHint = {}): Promise<MountResult> {
    const mountFrom = [...new Set([from, ...(access.mountFrom ?? [])])];
    return mountBlob(this, repository, digest, from, scopesFor(repository, { push: true, mountFrom }));
  }

  /** Uploads a blob (POST → PUT with Content-Length; PATCH fallback), restarting from a fresh POST on retry. */
  uploadBlob(repository: string, blob: BlobContent, access: AccessHint = {}, session?: URL): Promise<void> {
    return uploadBlob(this, repository, blob, scopesFor(repository, { ...access, push: true }), session);
  }

  /** Frees the keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  async request(spec: RequestSpec): Promise<Exchange> {
    const endpoint = await this.endpoint();
    const once = (): Promise<Exchange> =>
      exchangeOnce(this.transport, this.authorizer, endpoint, spec, this.registry, () => this.timer.nowMs());
    if (spec.retry === false) return once();
    return this.retrying(`${spec.method} ${describeTarget(spec.target)}`, once);
  }

  async authorize(scopes: ScopeSet, op: Operation): Promise<Authorization> {
    await this.endpoint();
    return this.authorizer.authorize(scopes, op);
  }

  failure(spec: RequestSpec, ex: Exchange, subject?: string): Promise<Error> {
    return failureOf(spec, ex, () => this.timer.nowMs(), subject);
  }

  retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      { policy: this.policy, timer: this.timer, logger: this.logger, what, classify: classifyRetry },
      fn,
    );
  }

  nowMs(): number {
    return this.timer.nowMs();
  }

  private credentials(): Promise<ResolvedCredentials> {
    this.credentialsPromise ??= resolveCredentials(
      this.registry,
      credentialOptions(this.options),
      this.logger,
    );
    return this.credentialsPromise;
  }

  private endpoint(): Promise<Endpoint> {
    if (!this.endpointPromise) {
      this.endpointPromise = discoverEndpoint({
        registry: this.registry,
        insecureRegistries: this.options.insecureRegistries ?? [],
        transport: this.transport,
        authorizer: this.authorizer,
        logger: this.logger,
        nowMs: () => this.timer.nowMs(),
        retrying: (what, fn) => this.retrying(what, fn),
      });
      this.endpointPromise.catch(() => (this.endpointPromise = undefined));
    }
    return this.endpointPromise;
  }
}

function scopesFor(repository: string, access: AccessHint): ScopeSet {
  const sources = (access.mountFrom ?? []).filter((s) => s !== repository);
  return {
    required: [repositoryScope(repository, access.push === true)],
    optional: sources.map((s) => repositoryScope(s, false)),
  };
}

function classifyRetry(err: unknown): RetryHint | undefined {
  const hint = retryHintOf(err);
  if (hint) return hint;
  if (isRetryableNetworkError(err))
    return { reason: String((err as { code?: unknown }).code ?? 'connection lost') };
  if (err instanceof TokenRequestError && isRetryableStatus(err.status)) {
    return {
      reason: `token ${err.status}`,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    };
  }
  return undefined;
}

function describeTarget(target: string | URL): string {
  return typeof target === 'string' ? target : `${target.origin}${target.pathname}`;
}

function credentialOptions(o: RegistryClientOptions): Parameters<typeof resolveCredentials>[1] {
  const c = o.credentials;
  const credentials: Credentials | undefined =
    c === undefined ? undefined : 'kind' in c ? c : { kind: 'basic', ...c };
  return {
    ...(credentials ? { credentials } : {}),
    ...(o.dockerConfigPath !== undefined ? { dockerConfigPath: o.dockerConfigPath } : {}),
    ...(o.helperEnv ? { helperEnv: o.helperEnv } : {}),
  };
}
