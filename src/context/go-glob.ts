/**
 * Go's `path/filepath.Match` on POSIX, restated over Unicode code points. BuildKit uses it to expand COPY/ADD
 * wildcards and moby/patternmatcher uses it to reject malformed .dockerignore patterns, so its quirks matter:
 * `*` and `?` never match `/`, `[…]` classes need at least one range, `-` and `]` must be escaped inside a class,
 * and a malformed pattern is an error even when the name would not match.
 */

/** Thrown for a malformed pattern (Go's `filepath.ErrBadPattern`). */
export class BadPatternError extends Error {
  constructor(readonly detail: string) {
    super(`syntax error in pattern (${detail})`);
    this.name = 'BadPatternError';
  }
}

const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;

type Runes = readonly number[];

function toRunes(s: string): number[] {
  return Array.from(s, (ch) => ch.codePointAt(0) ?? 0);
}

/** Reports whether `name` matches the shell pattern; throws BadPatternError for a malformed pattern. */
export function matchGlob(pattern: string, name: string): boolean {
  let pat: Runes = toRunes(pattern);
  let rest: Runes = toRunes(name);
  nextChunk: while (pat.length > 0) {
    const scanned = scanChunk(pat);
    pat = scanned.rest;
    if (scanned.star && scanned.chunk.length === 0) return !rest.includes(SLASH);
    const here = matchChunk(scanned.chunk, rest);
    if (here !== undefined && (here.length === 0 || pat.length > 0)) {
      rest = here;
      continue;
    }
    if (scanned.star) {
      for (let i = 0; i < rest.length && rest[i] !== SLASH; i++) {
        const later = matchChunk(scanned.chunk, rest.slice(i + 1));
        if (later === undefined || (pat.length === 0 && later.length > 0)) continue;
        rest = later;
        continue nextChunk;
      }
    }
    while (pat.length > 0) {
      const remaining = scanChunk(pat);
      pat = remaining.rest;
      matchChunk(remaining.chunk, []);
    }
    return false;
  }
  return rest.length === 0;
}

/** Throws BadPatternError when Go's filepath.Match would reject the pattern. */
export function validateGlob(pattern: string): void {
  matchGlob(pattern, '.');
}

/** BuildKit's test for a wildcard path element: `*`, `?` or `[`, skipping backslash-escaped characters. */
export function containsWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

function scanChunk(pattern: Runes): { star: boolean; chunk: Runes; rest: Runes } {
  let start = 0;
  while (start < pattern.length && pattern[start] === STAR) start++;
  const p = pattern.slice(start);
  let inRange = false;
  let i = 0;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === OPEN) {
      inRange = true;
    } else if (c === CLOSE) {
      inRange = false;
    } else if (c === STAR && !inRange) {
      break;
    }
  }
  return { star: start > 0, chunk: p.slice(0, i), rest: p.slice(i) };
}

/**
 * Matches one chunk at the start of `s`; returns the unmatched rest, or undefined when it does not match. The
 * whole chunk is always scanned so that a malformed pattern throws even after a mismatch, like Go.
 */
function matchChunk(chunk: Runes, s: Runes): Runes | undefined {
  let failed = false;
  let c = 0;
  let i = 0;
  while (c < chunk.length) {
    if (!failed && i >= s.length) failed = true;
    const ch = chunk[c];
    if (ch === OPEN) {
      const r = failed ? -1 : (s[i++] ?? -1);
      const cls = matchClass(chunk, c + 1, r);
      c = cls.next;
      if (!cls.matched) failed = true;
    } else if (ch === QUESTION) {
      if (!failed) {
        if (s[i] === SLASH) failed = true;
        i++;
      }
      c++;
    } else {
      let literal = ch;
      if (ch === BACKSLASH) {
        c++;
        if (c >= chunk.length) throw new BadPatternError('trailing backslash');
        literal = chunk[c];
      }
      if (!failed) {
        if (literal !== s[i]) failed = true;
        i++;
      }
      c++;
    }
  }
  return failed ? undefined : s.slice(i);
}

/** Parses a `[…]` class starting after the `[` and reports whether rune `r` is in it. */
function matchClass(chunk: Runes, start: number, r: number): { matched: boolean; next: number } {
  let c = start;
  let negated = false;
  if (chunk[c] === CARET) {
    negated = true;
    c++;
  }
  let inClass = false;
  let ranges = 0;
  for (;;) {
    if (chunk[c] === CLOSE && ranges > 0) {
      c++;
      break;
    }
    const lo = classChar(chunk, c);
    let hi = lo;
    if (chunk[lo.next] === DASH) hi = classChar(chunk, lo.next + 1);
    c = hi.next;
    if (lo.rune <= r && r <= hi.rune) inClass = true;
    ranges++;
  }
  return { matched: inClass !== negated, next: c };
}

/** Go's getEsc: one possibly escaped class character, which must be followed by more pattern. */
function classChar(chunk: Runes, at: number): { rune: number; next: number } {
  let c = at;
  const first = chunk[c];
  if (first === undefined || first === DASH || first === CLOSE) {
    throw new BadPatternError(
      first === undefined ? 'unterminated character class' : 'unescaped "-" or "]" in class',
    );
  }
  if (first === BACKSLASH) {
    c++;
    if (c >= chunk.length) throw new BadPatternError('unterminated character class');
  }
  const rune = chunk[c] as number;
  c++;
  if (c >= chunk.length) throw new BadPatternError('unterminated character class');
  return { rune, next: c };
}
