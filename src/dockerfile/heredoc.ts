/**
 * Here-documents as BuildKit finds them: the whole logical line is lexed (escape `\`, quotes and escapes
 * kept, unset variables left alone) into words, and every word of the form `[n]<<[-]WORD` names a heredoc.
 * The delimiter is lexed again with and without quotes: if the quote counts differ, some part of it was
 * quoted and the body is not expanded.
 */
import { lexWord, noVariables } from './shell-lex.js';

/** A heredoc marker word: `<<EOF`, `<<-"EOF"`, `3<<EOF`. Bodies are filled in by the parser. */
export interface HeredocMarker {
  readonly name: string;
  readonly expand: boolean;
  readonly chomp: boolean;
  readonly fileDescriptor: number;
}

/** Keywords whose arguments may hold heredocs (ONBUILD wrapping one of them too). */
export const heredocKeywords: ReadonlySet<string> = new Set(['add', 'copy', 'run']);

/**
 * `^(\d*)<<(-?)\s*([^<]*)$` without a regexp: the overlapping `\s*` and `[^<]*` would backtrack
 * polynomially on long blank runs. Returns undefined when the word is no heredoc marker.
 */
function matchMarker(word: string): { fd: string; chomp: boolean; rest: string } | undefined {
  let i = 0;
  while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39) i++;
  if (!word.startsWith('<<', i)) return undefined;
  const fd = word.slice(0, i);
  i += 2;
  const chomp = word[i] === '-';
  if (chomp) i++;
  let rest = word.slice(i);
  if (rest.includes('<')) return undefined;
  rest = rest.replace(/^[\t\n\f\r ]+/, '');
  return { fd, chomp, rest };
}

/** Parses one word as a heredoc marker (BuildKit `ParseHeredoc`). Throws ShellLexError on bad quoting. */
export function parseHeredocMarker(word: string): HeredocMarker | undefined {
  const match = matchMarker(word);
  if (!match || match.rest === '') return undefined;
  const words = lexWord(match.rest, noVariables, { skipUnsetEnv: true }).words;
  if (words.length !== 1) return undefined;
  const raw = lexWord(match.rest, noVariables, { skipUnsetEnv: true, rawQuotes: true }).words;
  if (raw.length !== words.length) {
    throw new Error(`internal lexing of heredoc produced inconsistent results: ${match.rest}`);
  }
  const name = words[0]!;
  return {
    name,
    expand: countQuotes(name) === countQuotes(raw[0]!),
    chomp: match.chomp,
    fileDescriptor: match.fd === '' ? 0 : Number.parseInt(match.fd, 10),
  };
}

/** Like parseHeredocMarker, but a malformed marker is simply no marker (BuildKit `MustParseHeredoc`). */
export function heredocMarkerOrUndefined(word: string): HeredocMarker | undefined {
  try {
    return parseHeredocMarker(word);
  } catch {
    return undefined;
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "'" || ch === '"') n++;
  return n;
}

/** The heredoc markers on a logical line, in order. A line the lexer rejects has none. */
export function heredocMarkersOnLine(line: string): HeredocMarker[] {
  let words: readonly string[];
  try {
    words = lexWord(line, noVariables, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch {
    return [];
  }
  const markers: HeredocMarker[] = [];
  for (const word of words) {
    const marker = parseHeredocMarker(word);
    if (marker) markers.push(marker);
  }
  return markers;
}

/** `<<-` bodies: leading tabs removed from every line (BuildKit `ChompHeredocContent`). */
export function chompHeredocContent(content: string): string {
  return content.replace(/(^|\n)\t+/g, '$1');
}
