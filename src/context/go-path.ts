/**
 * Go's string and slash-path helpers, restated: .dockerignore and COPY semantics are defined by Go code
 * (`filepath.Clean`, `strings.TrimSpace`, byte-order sorting), so the edge cases must behave the same here.
 */

/** Go `path.Clean` for slash-separated paths: collapse `//`, drop `.`, resolve `..` (a leading `..` stays). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') {
      out.push(part);
    } else if (out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
    } else if (!rooted) {
      out.push('..');
    }
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Go `path.Dir`: everything before the last slash, cleaned. */
export function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(i < 0 ? '' : p.slice(0, i + 1));
}

/** Go `path.Base`: the last element; `.` for an empty path, `/` for the root. */
export function baseName(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Joins context-relative paths; the empty string is the context root. */
export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

// unicode.IsSpace: ASCII blanks, NEL, NBSP and the White_Space characters of category Z.
const goSpace = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const goSpaceEnd = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/** Go `strings.TrimSpace` (unlike `String.prototype.trim`, it keeps U+FEFF and trims U+0085). */
export function goTrimSpace(s: string): string {
  return s.replace(goSpace, '').replace(goSpaceEnd, '');
}

/**
 * Compares strings by their UTF-8 bytes, the order Go's sort and directory walks use. UTF-8 byte order is code
 * point order, which differs from JavaScript's UTF-16 order once surrogate pairs meet U+E000..U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  return j < b.length ? -1 : 0;
}
