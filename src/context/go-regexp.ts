/**
 * Translates the Go (RE2, Perl-flags) regular expressions that moby/patternmatcher builds from .dockerignore
 * patterns into JavaScript RegExps with the same meaning. patternmatcher passes `\x` escapes and `[…]` classes of
 * the user's pattern straight into Go's regexp syntax, so `[[:alpha:]]`, `\d` or `a^b` mean what Go says they mean.
 *
 * Covered: literals, `^ $ .`, groups, `* + ? {n,m}` repetition, classes with ranges, negation, POSIX `[:name:]`,
 * Perl `\d \s \w` (ASCII, as in Go), `\pN`/`\p{Name}` (general categories and scripts), escapes (`\a \f \n \r \t \v`,
 * octal, `\x..`, `\x{…}`, punctuation), `\A \z \b \B` and `\Q…\E`. Anything Go rejects is an error here too.
 */

import {
  classBody,
  complement,
  literal,
  MAX_RUNE,
  perlClasses,
  r,
  posixClasses,
  simpleEscapes,
  type Range,
} from './go-regexp-classes.js';

/** A pattern Go's regexp package would reject (or that this translation cannot express). */
export class GoRegexpError extends Error {
  constructor(readonly detail: string) {
    super(`invalid regular expression: ${detail}`);
    this.name = 'GoRegexpError';
  }
}

/** Compiles Go regexp syntax into an equivalent JavaScript RegExp; throws GoRegexpError when Go would. */
export function compileGoRegexp(source: string): RegExp {
  const js = new GoRegexpTranslator(Array.from(source)).translate();
  try {
    return new RegExp(js, 'u');
  } catch (err) {
    throw new GoRegexpError(err instanceof Error ? err.message : String(err));
  }
}

class GoRegexpTranslator {
  private i = 0;
  private depth = 0;

  constructor(private readonly src: readonly string[]) {}

  translate(): string {
    let out = '';
    while (this.i < this.src.length) out += this.next();
    if (this.depth > 0) throw new GoRegexpError('missing closing )');
    return out;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.i + offset];
  }

  private next(): string {
    const ch = this.src[this.i++] as string;
    switch (ch) {
      case '(':
        if (this.peek() === '?') throw new GoRegexpError('unsupported group syntax');
        this.depth++;
        return '(?:';
      case ')':
        if (this.depth === 0) throw new GoRegexpError('unexpected )');
        this.depth--;
        return ')';
      case '|':
      case '^':
      case '$':
      case '*':
      case '+':
      case '?':
        return ch;
      case '.':
        return '[^\\n]';
      case '{':
        return this.repeatOrBrace();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escapeOutsideClass();
      default:
        return literal(r(ch));
    }
  }

  private repeatOrBrace(): string {
    const rest = this.src.slice(this.i, this.i + 24).join('');
    const m = /^(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return literal(r('{'));
    this.i += Array.from(m[0]).length;
    return `{${m[1]}${m[2] ?? ''}}`;
  }

  private escapeOutsideClass(): string {
    const c = this.peek();
    if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression');
    switch (c) {
      case 'A':
        this.i++;
        return '^';
      case 'z':
        this.i++;
        return '$';
      case 'b':
      case 'B':
        this.i++;
        return `\\${c}`;
      case 'Q':
        return this.quotedLiteral();
      case 'p':
      case 'P':
        return this.unicodeClass(false);
      default: {
        const perl = this.perlClass();
        if (perl) return `[${perl}]`;
        return literal(this.escapedRune());
      }
    }
  }

  private quotedLiteral(): string {
    this.i++;
    let out = '';
    while (this.i < this.src.length) {
      if (this.peek() === '\\' && this.peek(1) === 'E') {
        this.i += 2;
        break;
      }
      out += literal(r(this.src[this.i++] as string));
    }
    return out;
  }

  /** `\d \D \s \S \w \W` at the current position (after the backslash) as class-body text, or undefined. */
  private perlClass(): string | undefined {
    const c = this.peek();
    if (c === undefined) return undefined;
    const ranges = perlClasses[c.toLowerCase()];
    if (!ranges || !'dswDSW'.includes(c)) return undefined;
    this.i++;
    return classBody(c === c.toLowerCase() ? ranges : complement(ranges));
  }

  /** `\pX`, `\p{Name}`, `\p{^Name}`, `\PX` at the current position (the p/P after the backslash). */
  private unicodeClass(inClass: boolean): string {
    let negate = this.src[this.i++] === 'P';
    let name: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.i);
      if (end < 0) throw new GoRegexpError('invalid character class range');
      name = this.src.slice(this.i + 1, end).join('');
      this.i = end + 1;
    } else {
      name = this.src[this.i++] ?? '';
    }
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) throw new GoRegexpError(`invalid character class range: ${name}`);
    const property = name === 'Any' || name.length <= 2 ? name : `Script=${name}`;
    const text = `\\${negate ? 'P' : 'p'}{${property}}`;
    return inClass ? text : `[${text}]`;
  }

  /** Go's parseEscape: the rune named by the escape at the current position (after the backslash). */
  private escapedRune(): number {
    const c = this.src[this.i++];
    if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression');
    const code = r(c);
    if (code < 0x80 && !/[0-9A-Za-z]/.test(c)) return code;
    if (c in simpleEscapes) return simpleEscapes[c] as number;
    if (c >= '0' && c <= '7') return this.octal(c);
    if (c === 'x') return this.hex();
    throw new GoRegexpError(`invalid escape sequence: \\${c}`);
  }

  private octal(first: string): number {
    const isOctal = (s: string | undefined): s is string => s !== undefined && s >= '0' && s <= '7';
    if (first !== '0' && !isOctal(this.peek())) {
      throw new GoRegexpError(`invalid escape sequence: \\${first} (backreferences are not supported)`);
    }
    let value = r(first) - r('0');
    for (let n = 1; n < 3 && isOctal(this.peek()); n++)
      value = value * 8 + r(this.src[this.i++] as string) - r('0');
    return value;
  }

  private hex(): number {
    let digits: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.i);
      digits = end < 0 ? '' : this.src.slice(this.i + 1, end).join('');
      this.i = end < 0 ? this.src.length : end + 1;
    } else {
      digits = this.src.slice(this.i, this.i + 2).join('');
      this.i += 2;
      if (digits.length !== 2) digits = '';
    }
    const value = /^[0-9A-Fa-f]+$/.test(digits) ? parseInt(digits, 16) : NaN;
    if (!(value <= MAX_RUNE)) throw new GoRegexpError('invalid escape sequence: \\x');
    return value;
  }

  private characterClass(): string {
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const ranges: Range[] = [];
    let extra = '';
    let first = true;
    while (this.peek() !== ']' || first) {
      if (this.peek() === undefined) throw new GoRegexpError('missing closing ]');
      first = false;
      const named = this.posixClass();
      if (named) {
        ranges.push(...named);
        continue;
      }
      if (this.peek() === '\\' && (this.peek(1) === 'p' || this.peek(1) === 'P')) {
        this.i++;
        extra += this.unicodeClass(true);
        continue;
      }
      if (this.peek() === '\\') {
        this.i++;
        const perl = this.perlClass();
        if (perl) {
          extra += perl;
          continue;
        }
        this.i--;
      }
      ranges.push(this.classRange());
    }
    this.i++;
    return `[${negate ? '^' : ''}${classBody(ranges)}${extra}]`;
  }

  private posixClass(): readonly Range[] | undefined {
    if (this.peek() !== '[' || this.peek(1) !== ':') return undefined;
    const text = this.src.slice(this.i + 2).join('');
    const end = text.indexOf(':]');
    if (end < 0) return undefined;
    const raw = text.slice(0, end);
    const negated = raw.startsWith('^');
    const ranges = posixClasses[negated ? raw.slice(1) : raw];
    if (!ranges) throw new GoRegexpError(`invalid character class range: [:${raw}:]`);
    this.i += 2 + Array.from(text.slice(0, end + 2)).length;
    return negated ? complement(ranges) : ranges;
  }

  private classRange(): Range {
    const lo = this.classChar();
    let hi = lo;
    if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
      this.i++;
      hi = this.classChar();
      if (hi < lo) {
        const [a, b] = [String.fromCodePoint(lo), String.fromCodePoint(hi)];
        throw new GoRegexpError(`invalid character class range ${a}-${b} (the range goes backwards)`);
      }
    }
    return [lo, hi];
  }

  private classChar(): number {
    const c = this.peek();
    if (c === undefined) throw new GoRegexpError('missing closing ]');
    this.i++;
    return c === '\\' ? this.escapedRune() : r(c);
  }
}
