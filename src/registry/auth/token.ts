/**
 * Bearer token requests (distribution `docs/spec/auth/token.md`, `oauth.md`): `GET <realm>?service=…&scope=…`
 * (repeated `scope`) with Basic credentials or anonymously; identity tokens use the OAuth2 `refresh_token` grant
 * by POST, falling back to GET when the endpoint answers 404. The answer's `token` or `access_token` is used;
 * `expires_in` defaults to 60 seconds.
 */
import {
  discardResponse,
  readResponseBody,
  type TransportRequest,
  type TransportResponse,
} from '../transport.js';
import { parseRetryAfter } from '../retry.js';
import { basicAuthorization, type Credentials } from './credentials.js';

export interface TokenGrant {
  readonly token: string;
  readonly obtainedAtMs: number;
  readonly expiresAtMs: number;
  /** A rotated refresh token, when the OAuth2 endpoint returned one. */
  readonly refreshToken?: string;
}

export interface TokenFetch {
  readonly realm: URL;
  readonly service?: string;
  readonly scopes: readonly string[];
  readonly credentials: Credentials;
  readonly clientId: string;
  readonly verifyTls: boolean;
}

/** A token endpoint said no (or said something unusable). */
export class TokenRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

export type HttpSend = (req: TransportRequest) => Promise<TransportResponse>;

const defaultExpiresInSeconds = 60;
const maxTokenResponse = 1 << 20;

export async function fetchToken(send: HttpSend, req: TokenFetch, nowMs: () => number): Promise<TokenGrant> {
  if (req.credentials.kind === 'identity-token') {
    const res = await send(oauthRequest(req, req.credentials.token));
    if (res.status !== 404) return grantFrom(res, nowMs);
    await discardResponse(res);
    const user = req.credentials.username || '<token>';
    return grantFrom(await send(getRequest(req, basicAuthorization(user, req.credentials.token))), nowMs);
  }
  const authorization =
    req.credentials.kind === 'basic'
      ? basicAuthorization(req.credentials.username, req.credentials.password)
      : undefined;
  return grantFrom(await send(getRequest(req, authorization)), nowMs);
}

function getRequest(req: TokenFetch, authorization: string | undefined): TransportRequest {
  const url = new URL(req.realm);
  if (req.service !== undefined) url.searchParams.set('service', req.service);
  for (const s of req.scopes) url.searchParams.append('scope', s);
  return { method: 'GET', url, verifyTls: req.verifyTls, headers: authorization ? { authorization } : {} };
}

function oauthRequest(req: TokenFetch, refreshToken: string): TransportRequest {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: req.clientId,
  });
  if (req.service !== undefined) form.set('service', req.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  return {
    method: 'POST',
    url: req.realm,
    verifyTls: req.verifyTls,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: { kind: 'bytes', data: Buffer.from(form.toString()) },
  };
}

async function grantFrom(res: TransportResponse, nowMs: () => number): Promise<TokenGrant> {
  const body = await readResponseBody(res, maxTokenResponse).catch(() => Buffer.alloc(0));
  if (res.status !== 200) {
    const retryAfter = parseRetryAfter(res.header('retry-after'), nowMs());
    throw new TokenRequestError(
      `token request to ${res.url.host} answered ${res.status}`,
      res.status,
      retryAfter,
    );
  }
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    throw new TokenRequestError(`token response from ${res.url.host} is not JSON`, res.status);
  }
  const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new TokenRequestError(`token response from ${res.url.host} has no token`, res.status);
  }
  const expiresIn =
    typeof parsed.expires_in === 'number' && parsed.expires_in > 0
      ? parsed.expires_in
      : defaultExpiresInSeconds;
  const now = nowMs();
  return {
    token,
    obtainedAtMs: now,
    expiresAtMs: now + expiresIn * 1000,
    ...(typeof parsed.refresh_token === 'string' && parsed.refresh_token
      ? { refreshToken: parsed.refresh_token }
      : {}),
  };
}
