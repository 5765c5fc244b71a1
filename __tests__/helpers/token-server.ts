/**
 * A small token server for distribution's token authentication (docs/spec/auth/token.md), for tests.
 *
 * `startTokenServer(options)` listens on a free 127.0.0.1 port and answers:
 * - `GET /token?service=…&scope=…&scope=…` with optional Basic credentials — a user's password, or a refresh
 *   token as the password (`{"token","access_token","expires_in","issued_at"}`),
 * - `POST /token` (OAuth2 form: `grant_type=password|refresh_token`, `scope` space-separated), or 404 when
 *   `oauth: 'not-found'`.
 * Tokens are ES256 JWTs whose header carries the signing certificate in `x5c`; a registry trusting that
 * certificate (`auth.token.rootcertbundle`) accepts them. Access is granted per a small ACL, so tests can produce
 * 403 / insufficient-scope paths. Every request is recorded in `requests` (account, scopes, status) so tests can
 * count token fetches. `configure()` changes options (e.g. `expiresIn`) while running.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestCertificate } from './certs.js';

/** `account`: a user name, `*` (any authenticated user) or `anonymous`; `repository`: a name or a prefix ending in `*`. */
export interface AclEntry {
  readonly account: string;
  readonly repository: string;
  readonly actions: readonly string[];
}

export interface TokenServerOptions {
  readonly service: string;
  readonly issuer: string;
  readonly certificate: TestCertificate;
  /** user name → password */
  readonly users: Readonly<Record<string, string>>;
  readonly acl: readonly AclEntry[];
  /** `expires_in` in the response; omitted from the response when `null`. Default 300. */
  readonly expiresIn?: number | null;
  /** Deny the whole token when any requested scope is not fully granted (as Docker Hub does). */
  readonly strictScopes?: boolean;
  /** refresh (identity) token → user name, for the OAuth2 `refresh_token` grant. */
  readonly refreshTokens?: Readonly<Record<string, string>>;
  /** Answer a refresh_token grant with a new refresh token, invalidating the one used. */
  readonly rotateRefreshTokens?: boolean;
  readonly oauth?: 'supported' | 'not-found';
  /** Which field carries the token; default both (`token` and `access_token`). */
  readonly tokenField?: 'token' | 'access_token' | 'both';
}

export interface TokenRequestRecord {
  readonly method: string;
  readonly account: string | undefined;
  readonly scopes: readonly string[];
  readonly status: number;
  readonly grantType?: string;
  /** The refresh token a refresh_token grant presented. */
  readonly refreshToken?: string;
}

export interface TokenServer {
  readonly url: string;
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly requests: TokenRequestRecord[];
  configure(patch: Partial<TokenServerOptions>): void;
  stop(): Promise<void>;
}

interface Identity {
  readonly account: string | undefined;
  readonly ok: boolean;
}

export async function startTokenServer(initial: TokenServerOptions): Promise<TokenServer> {
  const service = new TokenService(initial);
  const server = createServer((req, res) => {
    void service.handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    service: initial.service,
    issuer: initial.issuer,
    requests: service.requests,
    configure: (patch) => service.configure(patch),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The token endpoint's logic: who is asking (Basic or OAuth2 grant), what the ACL grants, the signed JWT. */
class TokenService {
  readonly requests: TokenRequestRecord[] = [];
  private options: TokenServerOptions;
  private readonly key: KeyObject;

  constructor(initial: TokenServerOptions) {
    this.options = initial;
    this.key = createPrivateKey(initial.certificate.keyPem);
    this.refresh = new Map(Object.entries(initial.refreshTokens ?? {}));
  }

  /** Live refresh tokens (token → user); rotation replaces entries. */
  private refresh: Map<string, string>;
  private rotations = 0;

  configure(patch: Partial<TokenServerOptions>): void {
    this.options = { ...this.options, ...patch };
    if (patch.refreshTokens) this.refresh = new Map(Object.entries(patch.refreshTokens));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/token') return reply(res, 404, { details: 'not found' });
    if (req.method === 'POST') return this.handlePost(req, res);
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const who = basicIdentity(
      req.headers.authorization,
      this.options.users,
      Object.fromEntries(this.refresh),
    );
    this.issue(res, 'GET', who, scopes);
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const grantType = form.get('grant_type') ?? '';
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (this.options.oauth === 'not-found') {
      this.requests.push({ method: 'POST', account: undefined, scopes, status: 404, grantType });
      return reply(res, 404, { details: 'not found' });
    }
    const presented = grantType === 'refresh_token' ? (form.get('refresh_token') ?? '') : undefined;
    const who = this.grantIdentity(form, grantType);
    let extra: Record<string, string> = {};
    if (presented !== undefined && who.ok && this.options.rotateRefreshTokens) {
      const next = `${presented}-r${++this.rotations}`;
      this.refresh.delete(presented);
      this.refresh.set(next, who.account!);
      extra = { refresh_token: next };
    }
    this.issue(res, 'POST', who, scopes, grantType, presented, extra);
  }

  private grantIdentity(form: URLSearchParams, grantType: string): Identity {
    if (grantType === 'refresh_token') {
      const account = this.refresh.get(form.get('refresh_token') ?? '');
      return { account, ok: account !== undefined };
    }
    if (grantType === 'password') {
      const user = form.get('username') ?? '';
      const password = this.options.users[user];
      return { account: user, ok: password !== undefined && password === form.get('password') };
    }
    return { account: undefined, ok: false };
  }

  private issue(
    res: ServerResponse,
    method: string,
    who: Identity,
    scopes: string[],
    grantType?: string,
    refreshToken?: string,
    extra: Record<string, string> = {},
  ): void {
    const o = this.options;
    const record = (status: number): void => {
      this.requests.push({
        method,
        account: who.account,
        scopes,
        status,
        ...(grantType ? { grantType } : {}),
        ...(refreshToken !== undefined ? { refreshToken } : {}),
      });
    };
    if (!who.ok) {
      record(401);
      return reply(res, 401, { details: 'incorrect username or password' });
    }
    const access = scopes.map((s) => grant(o.acl, who.account, s));
    const complete = access.every(
      (a, i) => a !== undefined && a.actions.length === requestedActions(scopes[i]!).length,
    );
    if (o.strictScopes && !complete) {
      record(403);
      return reply(res, 403, { details: 'requested access to the resource is denied' });
    }
    record(200);
    const granted = access.filter((a) => a !== undefined && a.actions.length > 0);
    const token = signToken(this.key, o, who.account, granted);
    const expiresIn = o.expiresIn === undefined ? 300 : o.expiresIn;
    const field = o.tokenField ?? 'both';
    reply(res, 200, {
      ...(field !== 'access_token' ? { token } : {}),
      ...(field !== 'token' ? { access_token: token } : {}),
      ...(expiresIn === null ? {} : { expires_in: expiresIn }),
      issued_at: new Date().toISOString(),
      ...extra,
    });
  }
}

interface Access {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

function requestedActions(scope: string): string[] {
  return scope
    .slice(scope.lastIndexOf(':') + 1)
    .split(',')
    .filter(Boolean);
}

/** Grants the subset of a scope's actions the ACL allows; undefined for a malformed scope. */
function grant(acl: readonly AclEntry[], account: string | undefined, scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const wanted = requestedActions(scope);
  const allowed = new Set<string>();
  for (const e of acl) {
    const who = e.account === '*' ? account !== undefined : e.account === (account ?? 'anonymous');
    const repo = e.repository.endsWith('*')
      ? name.startsWith(e.repository.slice(0, -1))
      : name === e.repository;
    if (who && repo) e.actions.forEach((a) => allowed.add(a));
  }
  const actions = wanted.filter((a) => allowed.has(a) || allowed.has('*'));
  return { type, name, actions };
}

function signToken(
  key: KeyObject,
  options: TokenServerOptions,
  account: string | undefined,
  access: readonly (Access | undefined)[],
): string {
  const now = Math.floor(Date.now() / 1000);
  const lifetime = options.expiresIn ?? 300;
  const header = { typ: 'JWT', alg: 'ES256', x5c: [options.certificate.derBase64] };
  const claims = {
    iss: options.issuer,
    sub: account ?? '',
    aud: options.service,
    exp: now + Math.max(lifetime, 1),
    nbf: now - 1,
    iat: now,
    jti: randomUUID(),
    access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

/** Basic credentials: a user's password, or (as identity-token clients send on GET) a refresh token. */
function basicIdentity(
  header: string | undefined,
  users: Readonly<Record<string, string>>,
  refreshTokens: Readonly<Record<string, string>>,
): Identity {
  if (!header) return { account: undefined, ok: true };
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return { account: undefined, ok: false };
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const viaRefresh = refreshTokens[secret];
  if (colon > 0 && viaRefresh !== undefined) return { account: viaRefresh, ok: true };
  const ok = colon > 0 && users[user] !== undefined && users[user] === secret;
  return { account: user, ok };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
