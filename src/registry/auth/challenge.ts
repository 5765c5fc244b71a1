/**
 * `WWW-Authenticate` parsing (RFC 7235 §4.1): one header may carry several challenges, each a scheme followed by
 * a token68 or comma-separated `name=value` parameters whose quoted values may themselves contain commas
 * (`scope="repository:a:pull,push"`).
 */

export type Challenge =
  | {
      readonly kind: 'bearer';
      readonly realm: string;
      readonly service?: string;
      readonly scope?: string;
      readonly error?: string;
    }
  | { readonly kind: 'basic'; readonly realm?: string }
  | { readonly kind: 'other'; readonly scheme: string };

/** A challenge as written: lower-cased scheme and parameter names. */
export interface RawChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

const tchar = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/** Parses every challenge in a WWW-Authenticate header (or several joined by commas). Never throws. */
export function parseChallenges(header: string | readonly string[] | undefined): RawChallenge[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(', ');
  return new ChallengeScanner(text).all();
}

/** The typed challenges; a Bearer challenge without a realm is dropped (unusable). */
export function typedChallenges(header: string | readonly string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const c of parseChallenges(header)) {
    if (c.scheme === 'bearer') {
      const { realm, service, scope, error } = c.params;
      if (!realm) continue;
      out.push({
        kind: 'bearer',
        realm,
        ...(service !== undefined ? { service } : {}),
        ...(scope !== undefined ? { scope } : {}),
        ...(error !== undefined ? { error } : {}),
      });
    } else if (c.scheme === 'basic') {
      out.push({ kind: 'basic', ...(c.params.realm !== undefined ? { realm: c.params.realm } : {}) });
    } else {
      out.push({ kind: 'other', scheme: c.scheme });
    }
  }
  return out;
}

class ChallengeScanner {
  private pos = 0;
  constructor(private readonly s: string) {}

  all(): RawChallenge[] {
    const out: RawChallenge[] = [];
    for (;;) {
      this.skip(/[\s,]/);
      const scheme = this.token();
      if (scheme === '') {
        if (this.pos >= this.s.length) return out;
        this.pos++; // junk character: skip it
        continue;
      }
      out.push(this.challenge(scheme.toLowerCase()));
    }
  }

  private challenge(scheme: string): RawChallenge {
    const params: Record<string, string> = {};
    this.skip(/[ \t]/);
    const token68 = this.token68();
    if (token68 !== undefined) return { scheme, params, token68 };
    for (;;) {
      const save = this.pos;
      this.skip(/[\s,]/);
      const name = this.token();
      this.skip(/[ \t]/);
      if (name === '' || this.s[this.pos] !== '=') {
        this.pos = save;
        return { scheme, params };
      }
      this.pos++;
      this.skip(/[ \t]/);
      params[name.toLowerCase()] = this.value();
    }
  }

  /** A token68 is the whole credential after the scheme, ending at a comma or the end (`abc==`, not `a=b`). */
  private token68(): string | undefined {
    const m = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)/.exec(this.s.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[1]!.length;
    return m[1]!;
  }

  private value(): string {
    if (this.s[this.pos] !== '"') {
      const start = this.pos;
      while (this.pos < this.s.length && !/[\s,]/.test(this.s[this.pos]!)) this.pos++;
      return this.s.slice(start, this.pos);
    }
    this.pos++;
    let out = '';
    while (this.pos < this.s.length && this.s[this.pos] !== '"') {
      if (this.s[this.pos] === '\\' && this.pos + 1 < this.s.length) this.pos++;
      out += this.s[this.pos++];
    }
    this.pos++; // closing quote (or past the end)
    return out;
  }

  private token(): string {
    const start = this.pos;
    while (this.pos < this.s.length && tchar.test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private skip(re: RegExp): void {
    while (this.pos < this.s.length && re.test(this.s[this.pos]!)) this.pos++;
  }
}
