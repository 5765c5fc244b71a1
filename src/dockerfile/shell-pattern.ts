/**
 * The glob patterns of `${V#p}`, `${V%p}`, `${V/p/r}` as BuildKit's shell lexer treats them: `*` and `?`
 * only (no bracket expressions), `\` escapes `*`, `?` and `\`, converted to a regular expression and run with
 * Go's `regexp` semantics (leftmost-first, `ReplaceAllString` template expansion, empty-match rules).
 */

/** A pattern that cannot be converted: `invalid escape '\x'`. */
export class PatternError extends Error {}

const regexSpecials = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** `convertShellPatternToRegex`: `*` is `.*` (greedy) or `.*?`; `.` never matches a newline, as in Go. */
export function shellPatternToRegExp(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '[^\\n]*' : '[^\\n]*?';
  for (let i = 0; i < chars.length; i++) {
    const tok = chars[i]!;
    if (tok === '*') out += star;
    else if (tok === '?') out += '[^\\n]';
    else if (tok === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      i++;
      if (next !== '*' && next !== '?' && next !== '\\')
        throw new PatternError(`invalid escape '\\${next ?? '\ufffd'}'`);
      out += `\\${next}`;
    } else if (regexSpecials.has(tok)) out += `\\${tok}`;
    else out += tok;
  }
  return new RegExp(out, 'u');
}

/** `${V#p}` / `${V##p}`: removes the shortest (longest) prefix matching `pattern`. */
export function trimPatternPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = shellPatternToRegExp(pattern, greedy, true).exec(value);
  return m ? value.slice(m.index + m[0].length) : value;
}

/** `${V%p}` / `${V%%p}`: reverses pattern and value to turn the rightmost search into a leftmost one. */
export function trimPatternSuffix(pattern: string, value: string, greedy: boolean): string {
  const trimmed = trimPatternPrefix(reversePattern(pattern), reverseString(value), greedy);
  return reverseString(trimmed);
}

/** Reverses a pattern but keeps each `\x` escape pair in order: `a\*c` → `c\*a`. */
function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out = new Array<string>(runes.length);
  const last = runes.length - 1;
  for (let i = 0; i <= last;) {
    const tok = runes[i]!;
    const at = last - i;
    if (tok === '\\' && i !== last) {
      out[at - 1] = tok;
      out[at] = runes[i + 1]!;
      i += 2;
    } else {
      out[at] = tok;
      i++;
    }
  }
  return out.join('');
}

function reverseString(s: string): string {
  return Array.from(s).reverse().join('');
}

/** `${V/p/r}` (first match, `r` literal) and `${V//p/r}` (Go's `ReplaceAllString`, `r` a template). */
export function replacePattern(pattern: string, value: string, replacement: string, all: boolean): string {
  const re = shellPatternToRegExp(pattern, true, false);
  if (!all) {
    const m = re.exec(value);
    return m ? value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length) : value;
  }
  return goReplaceAll(new RegExp(re.source, 'gu'), value, replacement);
}

/** Go's `regexp.ReplaceAllString`: no replacement for an empty match right after a match. */
function goReplaceAll(re: RegExp, src: string, template: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += src.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expandTemplate(template, m[0]);
    lastMatchEnd = end;
    const width = searchPos < src.length ? (src.codePointAt(searchPos)! > 0xffff ? 2 : 1) : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/** Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0`/`${0}` the match, other refs empty. */
function expandTemplate(template: string, match: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (!ref) {
      out += '$';
      continue;
    }
    const name = ref[1] ?? ref[2]!;
    if (name === '0') out += match;
    rest = rest.slice(ref[0].length);
  }
  return out + rest;
}
