/**
 * Per-instruction argument splitting, as BuildKit's `line_parsers.go` (FORMAT.md §4.3). No variable
 * expansion and no quote removal happens here, except for JSON (exec form) decoding.
 */
import { decodeUtf8Lossless, encodeUtf8Lossless, goTrimLeft, isGoSpace, toGoRunes } from './go-text.js';

/** What a line parser produced: the argument list, whether it was JSON, or the ONBUILD trigger text. */
export interface ParsedArgs {
  readonly args: readonly string[];
  readonly json: boolean;
  /** ONBUILD: the rest of the line, to be parsed as a complete instruction. */
  readonly subCommand?: string;
}

/** A line that cannot be parsed (`ENV must have two arguments`, nested JSON…). */
export class LineParseError extends Error {}

type LineParser = (rest: string, escapeToken: string) => ParsedArgs;

const none: ParsedArgs = { args: [], json: false };
const reWhitespace = /[\t\v\f\r ]+/;

/** The parser for a lower-cased keyword; unknown keywords keep one empty argument, like BuildKit. */
export function lineParserFor(keyword: string): LineParser {
  return dispatch[keyword] ?? (() => ({ args: [''], json: false }));
}

const dispatch: Readonly<Record<string, LineParser>> = {
  add: parseMaybeJsonToList,
  arg: (rest, escape) => ({ args: parseWords(rest, escape), json: false }),
  cmd: parseMaybeJson,
  copy: parseMaybeJsonToList,
  entrypoint: parseMaybeJson,
  env: (rest, escape) => parseNameVal(rest, 'ENV', escape),
  expose: parseWhitespaceDelimited,
  from: parseWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: (rest, escape) => parseNameVal(rest, 'LABEL', escape),
  maintainer: parseString,
  onbuild: (rest) => (rest === '' ? none : { args: [], json: false, subCommand: rest }),
  run: parseMaybeJson,
  shell: parseMaybeJson,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJsonToList,
  workdir: parseString,
};

/**
 * Splits on Unicode whitespace outside '…' and "…"; quotes and escape tokens stay in the words. The escape
 * token keeps the next character in the word (except inside '…'); a trailing escape token is dropped.
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const chars = Array.from(toGoRunes(rest));
  const words: string[] = [];
  let inWord = false;
  let quote = '';
  let blankOK = false;
  let word = '';
  const flush = (): void => {
    if (blankOK || word.length > 0) words.push(word);
    word = '';
    blankOK = false;
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const atLast = i + 1 === chars.length;
    if (!inWord && !quote) {
      if (isGoSpace(ch.codePointAt(0)!)) continue;
      inWord = true;
    }
    if (quote) {
      if (ch === quote) quote = '';
      if (ch === escapeToken && quote !== "'") {
        if (atLast) continue;
        word += ch + chars[++i]!;
        continue;
      }
      word += ch;
      continue;
    }
    if (isGoSpace(ch.codePointAt(0)!)) {
      inWord = false;
      flush();
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      blankOK = true;
    } else if (ch === escapeToken) {
      if (atLast) continue;
      word += ch + chars[++i]!;
      continue;
    }
    word += ch;
  }
  if (inWord || quote) flush();
  return words;
}

/** ENV and LABEL: `key value sep` triples; the old `KEY rest-of-line` form when the first word has no `=`. */
function parseNameVal(rest: string, instruction: string, escapeToken: string): ParsedArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return none;
  if (!words[0]!.includes('=')) {
    const gap = reWhitespace.exec(rest);
    if (!gap) throw new LineParseError(`${instruction} must have two arguments`);
    return { args: [rest.slice(0, gap.index), rest.slice(gap.index + gap[0].length), ''], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new LineParseError(`Syntax error - can't find = in "${word}". Must be of the form: name=value`);
    }
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

function parseWhitespaceDelimited(rest: string): ParsedArgs {
  return rest === '' ? none : { args: rest.split(reWhitespace), json: false };
}

function parseString(rest: string): ParsedArgs {
  return rest === '' ? none : { args: [rest], json: false };
}

const notStrings = 'when using JSON array syntax, arrays must be comprised of strings only';

/** A JSON array of strings, or undefined when `rest` is not JSON; throws when it holds a non-string. */
function parseJson(rest: string): string[] | undefined {
  const text = goTrimLeft(rest);
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  // Go reports a number it cannot hold (1e400) as a decode error, so the text falls back to shell form.
  if (value.some((item: unknown) => typeof item === 'number' && !Number.isFinite(item))) return undefined;
  return value.map((item: unknown) => {
    if (typeof item !== 'string') throw new LineParseError(notStrings);
    return toGoRunes(item);
  });
}

function parseMaybeJson(rest: string): ParsedArgs {
  if (rest === '') return none;
  const json = parseJson(rest);
  return json ? { args: json, json: true } : { args: [rest], json: false };
}

function parseMaybeJsonToList(rest: string): ParsedArgs {
  const json = parseJson(rest);
  return json ? { args: json, json: true } : parseWhitespaceDelimited(rest);
}

/** HEALTHCHECK: the first word (`CMD`, `NONE`…) then the RUN rule; the split is byte-wise, as in BuildKit. */
function parseHealthConfig(rest: string): ParsedArgs {
  const bytes = encodeUtf8Lossless(rest);
  let sep = 0;
  while (sep < bytes.length && !isGoSpace(bytes[sep]!)) sep++;
  let next = sep;
  while (next < bytes.length && isGoSpace(bytes[next]!)) next++;
  if (sep === 0) return none;
  const command = parseMaybeJson(decodeUtf8Lossless(bytes.subarray(next)));
  return { args: [decodeUtf8Lossless(bytes.subarray(0, sep)), ...command.args], json: command.json };
}
