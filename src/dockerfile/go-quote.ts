/**
 * Go's `strconv.Quote` and `fmt`'s `%q` of a `[]string`, as BuildKit's `Node.Dump` prints them.
 * `JSON.stringify` differs (`\u0000` instead of `\x00`, no escape for U+007F or U+2028, …), hence this port.
 */
import { isEscapedByte } from './go-text.js';

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const named: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

/** Go's `strconv.Quote(s)`. Surrogate-escaped bytes (see go-text.ts) print as `\xHH`, like invalid UTF-8. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteRune(ch);
  return out + '"';
}

/** `fmt.Sprintf("%q", []string{…})`: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

function quoteRune(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (isEscapedByte(cp)) return `\\x${hex(cp & 0xff, 2)}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return wtf8Bytes(cp);
  if (cp === 0x20 || printable.test(ch)) return ch;
  const name = named[cp];
  if (name !== undefined) return name;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** A lone surrogate that is not an escaped byte: Go would see its three invalid UTF-8 bytes. */
function wtf8Bytes(cp: number): string {
  const bytes = [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return bytes.map((b) => `\\x${hex(b, 2)}`).join('');
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
