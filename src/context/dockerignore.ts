/**
 * .dockerignore files and pattern lists with Docker's exact semantics: moby/patternmatcher's `ignorefile.ReadAll`,
 * `New`, `MatchesOrParentMatches` and `MatchesUsingParentResults`, restated.
 */
import { DockerfileError, type SourceLocation } from '../errors.js';
import { BadPatternError, validateGlob } from './go-glob.js';
import { cleanPath, goTrimSpace } from './go-path.js';
import { compilePattern, type CompiledPattern } from './pattern.js';

/** One pattern line of an ignore file, as ReadAll returns it, with its 1-based line number. */
export interface IgnorePattern {
  readonly pattern: string;
  /** The line as written (trimmed), for messages. */
  readonly raw: string;
  readonly line: number;
}

/** Where a pattern list came from, for error messages. */
export type PatternOrigin =
  | { readonly kind: 'ignore-file'; readonly file: string }
  | { readonly kind: 'flag'; readonly flag: string; readonly location?: SourceLocation };

/** Per-pattern results of matching a directory, handed to its children (patternmatcher's MatchInfo). */
export type MatchInfo = readonly boolean[];

const utf8Bom = '\ufeff';

/**
 * Reads ignore-file text exactly like `ignorefile.ReadAll`: strips a UTF-8 BOM, skips lines starting with `#` in
 * column 1, trims blanks, skips empty lines, keeps `!` exceptions, cleans each path and drops one leading `/`.
 */
export function readIgnoreFile(text: string | Uint8Array): string[] {
  return readIgnorePatterns(text).map((p) => p.pattern);
}

/** readIgnoreFile with the line number of every pattern. */
export function readIgnorePatterns(text: string | Uint8Array): IgnorePattern[] {
  const decoded = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  const lines = decoded.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const out: IgnorePattern[] = [];
  lines.forEach((raw, index) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (index === 0 && line.startsWith(utf8Bom)) line = line.slice(1);
    if (line.startsWith('#')) return;
    let pattern = goTrimSpace(line);
    if (pattern === '') return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push({ pattern: invert ? `!${pattern}` : pattern, raw: goTrimSpace(line), line: index + 1 });
  });
  return out;
}

/**
 * A compiled list of patterns. Later patterns win; `!` patterns re-include. All patterns are compiled when the
 * matcher is built, so a malformed pattern fails the build up front as a DockerfileError naming its origin.
 */
export class PatternMatcher {
  private constructor(
    readonly patterns: readonly CompiledPattern[],
    readonly origin: PatternOrigin,
  ) {}

  /** Builds a matcher (patternmatcher.New plus eager compilation). */
  static compile(patterns: readonly (string | IgnorePattern)[], origin: PatternOrigin): PatternMatcher {
    const compiled: CompiledPattern[] = [];
    for (const entry of patterns) {
      const { pattern, raw, line } =
        typeof entry === 'string' ? { pattern: entry, raw: entry, line: undefined } : entry;
      const text = goTrimSpace(pattern);
      if (text === '') continue;
      compiled.push(compileOne(cleanPath(text), raw, line, origin));
    }
    return new PatternMatcher(compiled, origin);
  }

  /** True when some pattern is an exception (`!…`). */
  get hasExceptions(): boolean {
    return this.patterns.some((p) => p.exception);
  }

  /** MatchesOrParentMatches: the path, or one of its parent directories, is matched and not re-included. */
  matches(path: string): boolean {
    const parents = parentPrefixes(path);
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exception !== matched) continue;
      if (pattern.matches(path) || parents.some((p) => pattern.matches(p))) matched = !pattern.exception;
    }
    return matched;
  }

  /** MatchesExact: like matches, without looking at parent directories. */
  matchesExact(path: string): boolean {
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exception !== matched) continue;
      if (pattern.matches(path)) matched = !pattern.exception;
    }
    return matched;
  }

  /**
   * MatchesUsingParentResults: the walker variant. `parent` is the info returned for the path's parent directory
   * (undefined at the top of a walk, which makes it look at all parents like `matches`).
   */
  matchesUsingParentResults(path: string, parent?: MatchInfo): { matched: boolean; info: MatchInfo } {
    const known = parent !== undefined && parent.length === this.patterns.length ? parent : undefined;
    const info: boolean[] = [];
    let matched = false;
    this.patterns.forEach((pattern, i) => {
      let hit = known?.[i] ?? false;
      if (!hit && pattern.exception === matched) {
        hit =
          pattern.matches(path) ||
          (known === undefined && parentPrefixes(path).some((p) => pattern.matches(p)));
      }
      info.push(hit);
      if (hit) matched = !pattern.exception;
    });
    return { matched, info };
  }
}

/** `a`, `a/b` for `a/b/c`: the parent directories MatchesOrParentMatches also tries. */
function parentPrefixes(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

function compileOne(
  cleaned: string,
  raw: string,
  line: number | undefined,
  origin: PatternOrigin,
): CompiledPattern {
  let text = cleaned;
  const exception = text.startsWith('!');
  if (exception) {
    if (text.length === 1) throw patternError(raw, 'a "!" needs a pattern after it', line, origin);
    text = text.slice(1);
  }
  try {
    validateGlob(text);
    return compilePattern(text, exception);
  } catch (err) {
    if (err instanceof BadPatternError) throw patternError(raw, err.detail, line, origin);
    throw err;
  }
}

function patternError(
  raw: string,
  detail: string,
  line: number | undefined,
  origin: PatternOrigin,
): DockerfileError {
  const quoted = `"${goTrimSpace(raw).replace(/"/g, '\\"')}"`;
  const hint = detail.includes('"!"')
    ? 'write the path to re-include after "!", or remove the line'
    : 'fix or remove the pattern; a literal "[" is written "\\["';
  if (origin.kind === 'ignore-file') {
    return new DockerfileError(`invalid pattern ${quoted} in ${origin.file}: ${detail}`, {
      hint,
      location: { file: origin.file, ...(line === undefined ? {} : { line }) },
    });
  }
  return new DockerfileError(`invalid ${origin.flag} pattern ${quoted}: ${detail}`, {
    hint,
    ...(origin.location ? { location: origin.location } : {}),
  });
}
