/**
 * A port-by-behaviour of BuildKit's `frontend/dockerfile/shell` lexer: quote removal, the escape token,
 * `$V`/`${V}` and the `${V…}` modifiers, word splitting, and which variables were looked up.
 */
import { goQuote } from './go-quote.js';
import { isGoDigit, isGoLetter } from './go-text.js';
import { Scanner, Words } from './shell-scanner.js';
import { PatternError, replacePattern, trimPatternPrefix, trimPatternSuffix } from './shell-pattern.js';

/** Where variable values come from. `undefined` means unset (not the same as empty). */
export interface VariableLookup {
  get(name: string): string | undefined;
  keys(): readonly string[];
}

export interface LexOptions {
  /** `\` (default) or `` ` ``, from the `# escape=` directive. */
  readonly escapeToken?: string;
  /** Keep quote characters in the result. */
  readonly rawQuotes?: boolean;
  /** Keep escape tokens in the result. */
  readonly rawEscapes?: boolean;
  /** Treat quotes as ordinary characters (heredoc bodies). */
  readonly skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written. */
  readonly skipUnsetEnv?: boolean;
}

export interface LexResult {
  /** The word with quotes removed and variables substituted. */
  readonly value: string;
  /** The same, split into words on unquoted whitespace. */
  readonly words: readonly string[];
  /** Variables that were looked up and set. */
  readonly used: ReadonlySet<string>;
  /** Variables that were looked up and unset. */
  readonly unmatched: ReadonlySet<string>;
}

/** A syntax or substitution error; the message matches BuildKit's (`failed to process "…": …`). */
export class ShellLexError extends Error {}

/** An empty environment. */
export const noVariables: VariableLookup = { get: () => undefined, keys: () => [] };

/** Runs the lexer over `word`. Throws ShellLexError. */
export function lexWord(word: string, env: VariableLookup, options: LexOptions = {}): LexResult {
  const sw = new ShellWord(word, env, options);
  try {
    const [value, words] = sw.processStopOn(undefined, options.rawEscapes ?? false);
    return { value, words, used: sw.used, unmatched: sw.unmatched };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ShellLexError(`failed to process ${quoteWord(word)}: ${detail}`, { cause: err });
  }
}

/** Longer words are cut in messages (BuildKit quotes them whole; a generated line can be 64 KiB). */
const quotedWordMax = 200;

function quoteWord(word: string): string {
  const chars = [...word];
  return chars.length <= quotedWordMax
    ? goQuote(word)
    : `${goQuote(chars.slice(0, quotedWordMax).join(''))}…`;
}

/**
 * Nested `${…}` are processed recursively; real Dockerfiles nest a few levels, and a generated one must fail
 * cleanly instead of overflowing the stack (BuildKit's Go stack simply grows).
 */
const maxNesting = 100;

class ShellWord {
  readonly used = new Set<string>();
  private depth = 0;
  readonly unmatched = new Set<string>();
  private readonly scanner: Scanner;
  private readonly escape: string;
  private rawEscapes: boolean;

  constructor(
    source: string,
    private readonly env: VariableLookup,
    private readonly opts: LexOptions,
  ) {
    this.scanner = new Scanner(source);
    this.escape = opts.escapeToken ?? '\\';
    this.rawEscapes = opts.rawEscapes ?? false;
  }

  /** Processes up to `stop` (consumed) or the end: [result, words]. */
  processStopOn(stop: string | undefined, rawEscapes: boolean): [string, string[]] {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      return this.loop(stop);
    } finally {
      this.rawEscapes = saved;
    }
  }

  private loop(stop: string | undefined): [string, string[]] {
    let result = '';
    const words = new Words();
    for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
      if (stop !== undefined && ch === stop) {
        this.scanner.next();
        return [result, words.finish()];
      }
      const special = this.specialHandler(ch);
      if (special) {
        const tmp = special();
        result += tmp;
        if (ch === '$') words.addString(tmp);
        else words.addRawString(tmp);
        continue;
      }
      let c = this.scanner.next()!;
      if (c === this.escape) {
        if (this.rawEscapes) {
          words.addRawChar(c);
          result += c;
        }
        const escaped = this.scanner.next();
        if (escaped === undefined) break;
        c = escaped;
        words.addRawChar(c);
      } else words.addChar(c);
      result += c;
    }
    if (stop !== undefined) throw new Error(`unexpected end of statement while looking for matching ${stop}`);
    return [result, words.finish()];
  }

  private specialHandler(ch: string): (() => string) | undefined {
    if (ch === '$') return () => this.processDollar();
    if (ch === '<') return () => this.processPossibleHeredoc();
    if (this.opts.skipProcessQuotes) return undefined;
    if (ch === "'") return () => this.processSingleQuote();
    if (ch === '"') return () => this.processDoubleQuote();
    return undefined;
  }

  private processSingleQuote(): string {
    const open = this.scanner.next()!;
    let result = this.opts.rawQuotes ? open : '';
    for (;;) {
      const ch = this.scanner.next();
      if (ch === undefined)
        throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return this.opts.rawQuotes ? result + ch : result;
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    const open = this.scanner.next()!;
    let result = this.opts.rawQuotes ? open : '';
    for (;;) {
      const peeked = this.scanner.peek();
      if (peeked === undefined)
        throw new Error('unexpected end of statement while looking for matching double-quote');
      if (peeked === '"') {
        const close = this.scanner.next()!;
        return this.opts.rawQuotes ? result + close : result;
      }
      if (peeked === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.scanner.next()!;
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.scanner.peek();
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === this.escape) ch = this.scanner.next()!;
      }
      result += ch;
    }
  }

  /** `<<` keeps the blanks after it in the same word, so `<< EOF` stays one heredoc word. */
  private processPossibleHeredoc(): string {
    this.scanner.next();
    if (this.scanner.peek() !== '<') return '<';
    this.scanner.next();
    let space = '';
    for (let ch = this.scanner.peek(); ch === ' ' || ch === '\t' || ch === '\r'; ch = this.scanner.peek()) {
      space += this.scanner.next()!;
    }
    return `<<${space}`;
  }

  private processDollar(): string {
    this.scanner.next();
    if (this.scanner.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `$${name}`;
      return value ?? '';
    }
    this.scanner.next();
    const first = this.scanner.peek();
    if (first === undefined) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.processName();
    const ch = this.scanner.next();
    if (ch === '}') {
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}}`;
      return value ?? '';
    }
    if (ch === '/') return this.processReplacement(name);
    return this.processModifier(name, ch);
  }

  /** `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?m}`, `${V?m}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`. */
  private processModifier(name: string, first: string | undefined): string {
    let ch = first;
    let chs = first ?? '\ufffd';
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.scanner.next();
      chs += ch ?? '\ufffd';
    } else if (ch === undefined || !'+-?#%'.includes(ch)) {
      throw new Error(`unsupported modifier (${chs}) in substitution`);
    }
    const rawEscapes = ch === '#' || ch === '%';
    if (nullIsUnset && rawEscapes) throw new Error(`unsupported modifier (${chs}) in substitution`);
    const word = this.stopOnOrMissing('}', rawEscapes, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (this.opts.skipUnsetEnv && value === undefined) return `\${${name}${chs}${word}}`;
    const empty = value === undefined || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return empty ? word : value!;
      case '+':
        return empty ? '' : word;
      case '?':
        if (value === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
        if (empty) throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '#':
      case '%':
        return this.trimPattern(ch, word, value ?? '');
      default:
        throw new Error(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private trimPattern(op: '#' | '%', word: string, value: string): string {
    const greedy = word.startsWith(op);
    const pattern = greedy ? word.slice(1) : word;
    try {
      return op === '%'
        ? trimPatternSuffix(pattern, value, greedy)
        : trimPatternPrefix(pattern, value, greedy);
    } catch (err) {
      throw new Error(`invalid pattern (${pattern}) in substitution: ${errorText(err)}`, { cause: err });
    }
  }

  /** `${V/p/r}` and `${V//p/r}`. */
  private processReplacement(name: string): string {
    const all = this.scanner.peek() === '/';
    if (all) this.scanner.next();
    const pattern = this.stopOnOrMissing('/', true, "syntax error: missing '/' in ${}");
    const replacement = this.stopOnOrMissing('}', true, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (this.opts.skipUnsetEnv && value === undefined) return `\${${name}/${pattern}/${replacement}}`;
    try {
      return replacePattern(pattern, value ?? '', replacement, all);
    } catch (err) {
      throw new Error(`invalid pattern (${pattern}) in substitution: ${errorText(err)}`, { cause: err });
    }
  }

  private stopOnOrMissing(stop: string, rawEscapes: boolean, missing: string): string {
    if (this.depth >= maxNesting) throw new Error(`substitutions nested more than ${maxNesting} levels deep`);
    this.depth++;
    try {
      return this.processStopOn(stop, rawEscapes)[0];
    } catch (err) {
      if (this.scanner.peek() === undefined) throw new Error(missing, { cause: err });
      throw err;
    } finally {
      this.depth--;
    }
  }

  /** A name: letters, digits and `_`; or a run of digits; or one special parameter (`@*#?-$!0`). */
  private processName(): string {
    let name = '';
    for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
      if (name === '' && isGoDigit(ch)) {
        for (let d = this.scanner.peek(); d !== undefined && isGoDigit(d); d = this.scanner.peek()) {
          name += this.scanner.next()!;
        }
        return name;
      }
      if (name === '' && '@*#?-$!0'.includes(ch)) return this.scanner.next()!;
      if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_') break;
      name += this.scanner.next()!;
    }
    return name;
  }

  private getEnv(name: string): string | undefined {
    const value = this.env.get(name);
    (value === undefined ? this.unmatched : this.used).add(name);
    return value;
  }
}

function errorText(err: unknown): string {
  return err instanceof PatternError || err instanceof Error ? err.message : String(err);
}
