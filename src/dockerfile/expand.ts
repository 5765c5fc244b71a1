/**
 * Variable substitution in Dockerfile words, with BuildKit's shell-lexer rules (see shell-lex.ts), and
 * which variables each word used. `processWord` keeps the word whole (quotes removed); `processWords`
 * also splits it on unquoted whitespace (EXPOSE).
 */
import { lexWord, type LexResult, type VariableLookup } from './shell-lex.js';

export type { VariableLookup } from './shell-lex.js';
export { ShellLexError } from './shell-lex.js';

export interface ExpandOptions {
  /** The Dockerfile's escape token (`# escape=`); `\` by default. */
  readonly escapeToken?: string;
}

export interface WordExpansion {
  readonly value: string;
  /** Variables that were referenced and set. */
  readonly used: ReadonlySet<string>;
  /** Variables that were referenced but unset (they expanded to ""). */
  readonly unmatched: ReadonlySet<string>;
}

export interface WordsExpansion {
  readonly words: readonly string[];
  readonly used: ReadonlySet<string>;
  readonly unmatched: ReadonlySet<string>;
}

/** A variable source: a lookup, a map, a plain record, or `KEY=value` strings (later ones win). */
export type Variables =
  VariableLookup | ReadonlyMap<string, string> | Readonly<Record<string, string>> | readonly string[];

/** Normalises any accepted variable source to a lookup. */
export function variablesFrom(source: Variables): VariableLookup {
  if (isLookup(source)) return source;
  const map = new Map<string, string>();
  if (Array.isArray(source)) {
    for (const entry of source as readonly string[]) {
      const eq = entry.indexOf('=');
      map.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
    }
  } else if (source instanceof Map) {
    for (const [k, v] of source) map.set(k, v);
  } else {
    for (const [k, v] of Object.entries(source)) map.set(k, v);
  }
  return { get: (name) => map.get(name), keys: () => [...map.keys()] };
}

function isLookup(source: Variables): source is VariableLookup {
  return (
    typeof (source as VariableLookup).get === 'function' &&
    typeof (source as VariableLookup).keys === 'function'
  );
}

/** Expands one word (BuildKit `ProcessWord`). Throws ShellLexError for bad syntax or `${V:?…}`. */
export function processWord(word: string, env: Variables, options: ExpandOptions = {}): WordExpansion {
  const result: LexResult = lexWord(word, variablesFrom(env), { escapeToken: options.escapeToken ?? '\\' });
  return { value: result.value, used: result.used, unmatched: result.unmatched };
}

/** Expands and splits into words (BuildKit `ProcessWords`). Throws ShellLexError. */
export function processWords(word: string, env: Variables, options: ExpandOptions = {}): WordsExpansion {
  const result = lexWord(word, variablesFrom(env), { escapeToken: options.escapeToken ?? '\\' });
  return { words: result.words, used: result.used, unmatched: result.unmatched };
}

/** Expands a heredoc body: only `$` references and `\` escapes, quotes are kept (BuildKit `ExpandRaw`). */
export function processHeredocBody(content: string, env: Variables): WordExpansion {
  const result = lexWord(content, variablesFrom(env), { escapeToken: '\\', skipProcessQuotes: true });
  return { value: result.value, used: result.used, unmatched: result.unmatched };
}
