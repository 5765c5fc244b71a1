/**
 * The request machinery shared by the registry operations: endpoint discovery (ping), authorization with one
 * re-authorization on 401, retries for transient failures, and typed errors.
 */
import type { Logger } from '../log.js';
import type { Authorization, Authorizer } from './auth/authorizer.js';
import type { ScopeSet } from './auth/scope.js';
import { httpError, networkError, parseErrorBody, type Operation } from './errors.js';
import { isRetryableStatus, parseRetryAfter } from './retry.js';
import {
  discardResponse,
  readResponseBody,
  type HttpMethod,
  type RequestBody,
  type Transport,
  type TransportResponse,
} from './transport.js';

export interface Endpoint {
  /** `https://host[:port]` or `http://…` */
  readonly base: URL;
  readonly verifyTls: boolean;
}

export interface RequestSpec {
  readonly op: Operation;
  readonly method: HttpMethod;
  /** A path under the endpoint (`/v2/…`), or an absolute URL (upload locations, pagination links). */
  readonly target: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
  readonly scopes: ScopeSet;
  readonly followRedirects?: boolean;
  /** Retry transient failures (default true). Off for steps of a larger retried sequence. */
  readonly retry?: boolean;
}

export interface Exchange {
  readonly res: TransportResponse;
  readonly auth: Authorization;
}

/** What operation modules need from the client. */
export interface Requester {
  readonly registry: string;
  readonly logger: Logger;
  /** Settings that persist across operations (e.g. the registry refused a monolithic PUT once). */
  readonly quirks: { monolithicPutRejected: boolean; readonly mountDenied: Set<string> };
  request(spec: RequestSpec): Promise<Exchange>;
  /** The authorization requests with these scopes would carry (after endpoint discovery). */
  authorize(scopes: ScopeSet, op: Operation): Promise<Authorization>;
  /** Reads the error body of an unexpected response and builds the typed error. */
  failure(spec: RequestSpec, ex: Exchange, subject?: string): Promise<Error>;
  retrying<T>(what: string, fn: () => Promise<T>): Promise<T>;
  nowMs(): number;
}

/** One request with authorization and a single re-authorization on 401. Network errors become RegistryErrors. */
export async function exchangeOnce(
  transport: Transport,
  authorizer: Authorizer,
  endpoint: Endpoint,
  spec: RequestSpec,
  registry: string,
  nowMs: () => number,
): Promise<Exchange> {
  const url = typeof spec.target === 'string' ? new URL(spec.target, endpoint.base) : spec.target;
  const sameOrigin = url.origin === endpoint.base.origin;
  let scopes = spec.scopes;
  for (let authTry = 0; ; authTry++) {
    const auth = sameOrigin ? await authorizer.authorize(scopes, spec.op) : noAuth;
    let res: TransportResponse;
    try {
      res = await transport.send({
        method: spec.method,
        url,
        headers: { ...(spec.headers ?? {}), ...(auth.header ? { authorization: auth.header } : {}) },
        ...(spec.body ? { body: spec.body } : {}),
        verifyTls: sameOrigin ? endpoint.verifyTls : true,
        followRedirects: spec.followRedirects ?? false,
      });
    } catch (err) {
      throw networkError(registry, err);
    }
    if (
      res.status === 401 &&
      authTry === 0 &&
      sameOrigin &&
      authorizer.learn(res.header('www-authenticate'))
    ) {
      await discardResponse(res);
      authorizer.invalidate(scopes);
      const extra = authorizer.challengeScopes();
      if (extra.length > 0) scopes = { required: scopes.required, optional: [...scopes.optional, ...extra] };
      continue;
    }
    if (isRetryableStatus(res.status)) throw await failureOf(spec, { res, auth }, nowMs);
    return { res, auth };
  }
}

const noAuth: Authorization = { header: undefined, authenticated: false, optionalGranted: true };

export async function failureOf(
  spec: RequestSpec,
  ex: Exchange,
  nowMs: () => number,
  subject?: string,
): Promise<Error> {
  const body =
    spec.method === 'HEAD' ? undefined : await readResponseBody(ex.res, 64 * 1024).catch(() => undefined);
  if (spec.method === 'HEAD') await discardResponse(ex.res);
  const retryAfterMs = parseRetryAfter(ex.res.header('retry-after'), nowMs());
  return httpError(spec.op, ex.res.status, parseErrorBody(body), {
    authenticated: ex.auth.authenticated,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(subject !== undefined ? { subject } : {}),
    insufficientScope: /error\s*=\s*"?insufficient_scope/i.test(ex.res.header('www-authenticate') ?? ''),
  });
}
