/**
 * One compiled .dockerignore-style pattern, with moby/patternmatcher's exact matching rules: a pattern is an exact
 * string, a prefix (`dir/**`), a suffix (`**\/name`) or a Go regular expression built from the glob.
 */
import { BadPatternError } from './go-glob.js';
import { compileGoRegexp, GoRegexpError } from './go-regexp.js';

export type PatternKind = 'exact' | 'prefix' | 'suffix' | 'regexp';

/** A compiled pattern; `text` is the cleaned pattern without its `!`. */
export interface CompiledPattern {
  readonly text: string;
  readonly exception: boolean;
  readonly kind: PatternKind;
  /** Number of path elements in the pattern (patternmatcher's `dirs`). */
  readonly depth: number;
  matches(path: string): boolean;
}

// Regexp metacharacters that are not glob metacharacters; patternmatcher escapes them.
const escaped = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Compiles a cleaned pattern; throws BadPatternError when the Go regexp it becomes is invalid. */
export function compilePattern(text: string, exception: boolean): CompiledPattern {
  const { kind, regexpSource } = translateGlob(text);
  let test: (path: string) => boolean;
  switch (kind) {
    case 'exact':
      test = (path) => path === text;
      break;
    case 'prefix': {
      const prefix = text.slice(0, -2);
      test = (path) => path.startsWith(prefix);
      break;
    }
    case 'suffix': {
      const suffix = text.slice(2);
      test = (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
      break;
    }
    case 'regexp': {
      const re = compileRegexp(regexpSource);
      test = (path) => re.test(path);
      break;
    }
  }
  return { text, exception, kind, depth: text.split('/').length, matches: test };
}

function compileRegexp(source: string): RegExp {
  try {
    return compileGoRegexp(source);
  } catch (err) {
    if (err instanceof GoRegexpError) throw new BadPatternError(err.detail);
    throw err;
  }
}

/** patternmatcher's Pattern.compile: the match kind and, for `regexp`, the Go regexp source. */
function translateGlob(pattern: string): { kind: PatternKind; regexpSource: string } {
  const chars = Array.from(pattern);
  let re = '^';
  let kind: PatternKind = 'exact';
  for (let pos = 0, i = 0; pos < chars.length; i++) {
    const ch = chars[pos++] as string;
    if (ch === '*' && chars[pos] === '*') {
      pos++;
      if (chars[pos] === '/') pos++;
      if (pos >= chars.length) {
        // "**" at the end matches everything below, like .gitignore.
        if (kind === 'exact') kind = 'prefix';
        else {
          re += '.*';
          kind = 'regexp';
        }
      } else {
        re += '(.*/)?';
        kind = 'regexp';
      }
      if (i === 0) kind = 'suffix';
    } else if (ch === '*') {
      re += '[^/]*';
      kind = 'regexp';
    } else if (ch === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (escaped.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (pos < chars.length) {
        re += `\\${chars[pos++] as string}`;
        kind = 'regexp';
      } else {
        re += '\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      kind = 'regexp';
    } else {
      re += ch;
    }
  }
  return { kind, regexpSource: `${re}$` };
}
