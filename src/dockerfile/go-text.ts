/**
 * Go text semantics the parser depends on: UTF-8 decoding that keeps invalid bytes, `unicode.IsSpace`,
 * `unicode.IsLetter`/`IsDigit`, `strings.ToLower`/`ToUpper`, `strings.TrimSpace`.
 *
 * Dockerfiles are bytes. Go keeps an invalid UTF-8 byte as itself in strings and only turns it into U+FFFD
 * where code decodes runes. To keep that distinction in a JS string, an invalid byte 0xHH becomes the lone
 * low surrogate U+DC00+0xHH ("surrogate escape"); valid UTF-8 never decodes to a lone surrogate.
 */

const ESCAPE_BASE = 0xdc00;

/** Decodes UTF-8 like Go does rune by rune; each invalid byte becomes a surrogate escape. */
export function decodeUtf8Lossless(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const [codePoint, width] = decodeRune(bytes, i);
    chunk.push(codePoint);
    i += width;
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** Decodes one rune at `i`: [code point, byte width]; an invalid sequence yields an escape of one byte. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i]!;
  if (b0 < 0x80) return [b0, 1];
  const invalid: [number, number] = [ESCAPE_BASE + b0, 1];
  const cont = (k: number): number => {
    const v = b[i + k];
    return v !== undefined && (v & 0xc0) === 0x80 ? v & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? invalid : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return invalid;
    const cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
    return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? invalid : [cp, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return invalid;
    const cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    return cp < 0x10000 || cp > 0x10ffff ? invalid : [cp, 4];
  }
  return invalid;
}

/** Encodes back to the original bytes: surrogate escapes become their byte again. */
export function encodeUtf8Lossless(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isEscapedByte(cp)) out.push(cp - ESCAPE_BASE);
    else if (cp >= 0xd800 && cp <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** True for a code point that stands for one invalid UTF-8 byte (0x80–0xFF). */
export function isEscapedByte(cp: number): boolean {
  return cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xff;
}

/** What Go sees when it decodes runes: every lone surrogate (an invalid byte) is U+FFFD. */
export function toGoRunes(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Go's `unicode.IsSpace` for one code point. */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

const letter = /^\p{L}$/u;
const digit = /^\p{Nd}$/u;

/** Go's `unicode.IsLetter`. */
export function isGoLetter(ch: string): boolean {
  return letter.test(ch);
}

/** Go's `unicode.IsDigit`. */
export function isGoDigit(ch: string): boolean {
  return digit.test(ch);
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  return goTrimRight(goTrimLeft(s));
}

/** Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`. */
export function goTrimLeft(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s.codePointAt(i)!)) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  return s.slice(i);
}

function goTrimRight(s: string): string {
  let end = s.length;
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

/** Go's `strings.ToLower` (per rune; U+0130 lowers to a plain `i` as in Go). */
export function goToLower(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

/** Go's `strings.ToUpper` (per rune; multi-rune upper cases such as `ß` stay as they are, as in Go). */
export function goToUpper(s: string): string {
  if (isAscii(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const upper = ch.toUpperCase();
    out += [...upper].length === 1 ? upper : ch;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
