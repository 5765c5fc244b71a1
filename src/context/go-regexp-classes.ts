/** Character-class tables and helpers for the Go regexp translation (go-regexp.ts): Go's ASCII-only classes. */

export type Range = readonly [number, number];

export const MAX_RUNE = 0x10ffff;
/** The code point of a one-character string. */
export const r = (ch: string): number => ch.codePointAt(0) ?? 0;
const span = (a: string, b: string): Range => [r(a), r(b)];

export const perlClasses: Readonly<Record<string, readonly Range[]>> = {
  d: [span('0', '9')],
  s: [span('\t', '\n'), span('\f', '\r'), span(' ', ' ')],
  w: [span('0', '9'), span('A', 'Z'), span('_', '_'), span('a', 'z')],
};

export const posixClasses: Readonly<Record<string, readonly Range[]>> = {
  alnum: [span('0', '9'), span('A', 'Z'), span('a', 'z')],
  alpha: [span('A', 'Z'), span('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [span('\t', '\t'), span(' ', ' ')],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [span('0', '9')],
  graph: [span('!', '~')],
  lower: [span('a', 'z')],
  print: [span(' ', '~')],
  punct: [span('!', '/'), span(':', '@'), span('[', '`'), span('{', '~')],
  space: [span('\t', '\r'), span(' ', ' ')],
  upper: [span('A', 'Z')],
  word: [span('0', '9'), span('A', 'Z'), span('_', '_'), span('a', 'z')],
  xdigit: [span('0', '9'), span('A', 'F'), span('a', 'f')],
};

export const simpleEscapes: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

export function literal(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

export function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

export function classBody(ranges: readonly Range[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`)).join('');
}
