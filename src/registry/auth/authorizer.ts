/**
 * Per-registry authorization: remembers the registry's challenge (from the ping or a 401), sends Basic
 * credentials or fetches Bearer tokens, and caches tokens per scope set until shortly before they expire.
 * Optional scopes (mount sources) are dropped when the token service refuses them.
 */
import { RegistryError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { httpError, type Operation } from '../errors.js';
import { typedChallenges, type Challenge } from './challenge.js';
import { basicAuthorization, type Credentials, type ResolvedCredentials } from './credentials.js';
import {
  coversScopes,
  formatScope,
  mergeScopes,
  parseScope,
  scopeKey,
  type RepositoryScope,
  type ScopeSet,
} from './scope.js';
import { fetchToken, TokenRequestError, type HttpSend, type TokenGrant } from './token.js';

export interface Authorization {
  /** The Authorization header value to send, if any. */
  readonly header: string | undefined;
  /** Whether credentials stand behind the header (a 401 then means "rejected", not "required"). */
  readonly authenticated: boolean;
  /** Whether the optional scopes (mount sources) are in the token. */
  readonly optionalGranted: boolean;
}

export interface AuthorizerOptions {
  readonly registry: string;
  readonly credentials: () => Promise<ResolvedCredentials>;
  readonly send: HttpSend;
  /** Runs a token request with the client's retry policy. */
  readonly retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  readonly nowMs: () => number;
  readonly logger: Logger;
  readonly clientId: string;
  /** Whether a realm URL may be used and with which TLS verification; throws for a refused realm. */
  readonly realmTls: (realm: URL) => boolean;
}

interface CachedToken {
  readonly scopes: readonly RepositoryScope[];
  readonly grant: TokenGrant;
  readonly optionalGranted: boolean;
}

const earlyRefreshMs = 30_000;

export class Authorizer {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private refreshToken: string | undefined;

  constructor(private readonly o: AuthorizerOptions) {}

  /** Learns the challenge from a WWW-Authenticate header; true when it names a usable scheme. */
  learn(header: string | undefined): boolean {
    const challenges = typedChallenges(header);
    const chosen = challenges.find((c) => c.kind === 'bearer') ?? challenges.find((c) => c.kind === 'basic');
    if (chosen) this.challenge = chosen;
    return chosen !== undefined;
  }

  /** The scopes a Bearer challenge asked for (e.g. with `error="insufficient_scope"`); space-separated. */
  challengeScopes(): RepositoryScope[] {
    if (this.challenge?.kind !== 'bearer' || !this.challenge.scope) return [];
    return this.challenge.scope
      .split(' ')
      .map(parseScope)
      .filter((s): s is RepositoryScope => s !== undefined && s.actions.length > 0);
  }

  /** Forgets cached tokens that would serve `scopes` (after the registry refused one). */
  invalidate(scopes: ScopeSet): void {
    const needed = mergeScopes(scopes.required);
    for (const [key, t] of this.tokens) if (coversScopes(t.scopes, needed)) this.tokens.delete(key);
  }

  async authorize(scopes: ScopeSet, op: Operation): Promise<Authorization> {
    const { credentials } = await this.o.credentials();
    const authenticated = credentials.kind !== 'anonymous';
    const ch = this.challenge;
    if (credentials.kind === 'registry-token' && ch) {
      return { header: `Bearer ${credentials.token}`, authenticated, optionalGranted: true };
    }
    if (ch?.kind === 'basic') {
      const header =
        credentials.kind === 'basic'
          ? basicAuthorization(credentials.username, credentials.password)
          : undefined;
      return { header, authenticated: header !== undefined, optionalGranted: true };
    }
    if (ch?.kind !== 'bearer') return { header: undefined, authenticated: false, optionalGranted: true };
    const token = await this.token(ch, scopes, credentials, op);
    return { header: `Bearer ${token.grant.token}`, authenticated, optionalGranted: token.optionalGranted };
  }

  private token(
    ch: BearerChallenge,
    scopes: ScopeSet,
    creds: Credentials,
    op: Operation,
  ): Promise<CachedToken> {
    const all = mergeScopes([...scopes.required, ...scopes.optional]);
    const key = scopeKey(all);
    const now = this.o.nowMs();
    const hit = this.tokens.get(key);
    if (hit && fresh(hit, now)) return Promise.resolve(hit);
    for (const t of this.tokens.values())
      if (fresh(t, now) && coversScopes(t.scopes, all)) return Promise.resolve(t);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.obtain(ch, scopes, all, creds, op).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p.then((t) => {
      this.tokens.set(key, t);
      return t;
    });
  }

  private async obtain(
    ch: BearerChallenge,
    scopes: ScopeSet,
    all: readonly RepositoryScope[],
    creds: Credentials,
    op: Operation,
  ): Promise<CachedToken> {
    try {
      return { scopes: all, grant: await this.fetch(ch, all, creds), optionalGranted: true };
    } catch (err) {
      const refused =
        err instanceof TokenRequestError && err.status >= 400 && err.status < 500 && err.status !== 429;
      if (!refused || scopes.optional.length === 0) throw this.toRegistryError(err, op, creds);
      this.o.logger.debug(
        `token for ${this.o.registry} refused with mount scopes (${err.status}); retrying without them`,
      );
      const required = mergeScopes(scopes.required);
      try {
        return { scopes: required, grant: await this.fetch(ch, required, creds), optionalGranted: false };
      } catch (err2) {
        throw this.toRegistryError(err2, op, creds);
      }
    }
  }

  private async fetch(
    ch: BearerChallenge,
    scopes: readonly RepositoryScope[],
    creds: Credentials,
  ): Promise<TokenGrant> {
    let realm: URL;
    try {
      realm = new URL(ch.realm);
    } catch {
      throw new RegistryError(
        `registry ${this.o.registry} sent an invalid token realm ${JSON.stringify(ch.realm)}`,
        {
          hint: 'check the registry configuration',
          registry: this.o.registry,
        },
      );
    }
    const verifyTls = this.o.realmTls(realm);
    const effective: Credentials =
      creds.kind === 'identity-token' && this.refreshToken ? { ...creds, token: this.refreshToken } : creds;
    const strings = scopes.map(formatScope);
    const grant = await this.o.retry(`token request to ${realm.host}`, () =>
      fetchToken(
        this.o.send,
        {
          realm,
          ...(ch.service !== undefined ? { service: ch.service } : {}),
          scopes: strings,
          credentials: effective,
          clientId: this.o.clientId,
          verifyTls,
        },
        this.o.nowMs,
      ),
    );
    if (grant.refreshToken) this.refreshToken = grant.refreshToken;
    const seconds = Math.round((grant.expiresAtMs - grant.obtainedAtMs) / 1000);
    this.o.logger.debug(
      `token for ${this.o.registry} scope ${strings.join(' ') || '(none)'}: valid ${seconds} s`,
    );
    return grant;
  }

  private toRegistryError(err: unknown, op: Operation, creds: Credentials): unknown {
    if (!(err instanceof TokenRequestError)) return err;
    if (err.status === 200) {
      return new RegistryError(`${err.message} for ${this.o.registry}`, {
        hint: 'check the registry token service',
        registry: this.o.registry,
      });
    }
    return httpError(op, err.status, {}, { authenticated: creds.kind !== 'anonymous' });
  }
}

type BearerChallenge = Extract<Challenge, { kind: 'bearer' }>;

/** Usable until 30 s (or half its lifetime, if shorter) before it expires. */
function fresh(t: CachedToken, now: number): boolean {
  const lifetime = t.grant.expiresAtMs - t.grant.obtainedAtMs;
  return now < t.grant.expiresAtMs - Math.min(earlyRefreshMs, lifetime / 2);
}
