/**
 * Splits a logical line into keyword, leading `--flags` and the rest, as BuildKit's `splitCommand` and
 * `extractBuilderFlags` do. Flags are scanned byte by byte (so non-ASCII bytes in a flag come out as Latin-1
 * characters, exactly as in BuildKit); quotes are removed and `\` keeps the next byte; a bare `--` ends the
 * flags and is dropped.
 */
import { decodeUtf8Lossless, encodeUtf8Lossless, goTrimSpace, isGoSpace } from './go-text.js';

export interface SplitCommand {
  /** The instruction word as written. */
  readonly keyword: string;
  readonly flags: readonly string[];
  /** Everything after the flags, trimmed. */
  readonly rest: string;
}

const tokenWhitespace = /[\t\v\f\r ]+/;

export function splitCommand(line: string): SplitCommand {
  const trimmed = goTrimSpace(line);
  const gap = tokenWhitespace.exec(trimmed);
  if (!gap) return { keyword: trimmed, flags: [], rest: '' };
  const { rest, flags } = extractBuilderFlags(trimmed.slice(gap.index + gap[0].length));
  return { keyword: trimmed.slice(0, gap.index), flags, rest: goTrimSpace(rest) };
}

const enum Phase {
  Spaces,
  Word,
  Quote,
}

/** Scanner state over the line's bytes. */
class FlagScan {
  readonly words: string[] = [];
  phase = Phase.Spaces;
  word = '';
  quote = 0;
  blankOK = false;
  constructor(readonly bytes: Uint8Array) {}
  rest(pos: number): string {
    return decodeUtf8Lossless(this.bytes.subarray(pos));
  }
}

function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const s = new FlagScan(encodeUtf8Lossless(line));
  const b = s.bytes;
  for (let pos = 0; pos <= b.length; pos++) {
    const atEnd = pos === b.length;
    const ch = atEnd ? 0 : b[pos]!;
    if (s.phase === Phase.Spaces) {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      if (ch !== 0x2d || pos + 1 === b.length || b[pos + 1] !== 0x2d)
        return { rest: s.rest(pos), flags: s.words };
      s.phase = Phase.Word;
    }
    if (atEnd) {
      if (s.word !== '--' && (s.blankOK || s.word.length > 0)) s.words.push(s.word);
      break;
    }
    if (s.phase === Phase.Word) {
      if (isGoSpace(ch)) {
        s.phase = Phase.Spaces;
        if (s.word === '--') return { rest: s.rest(pos), flags: s.words };
        if (s.blankOK || s.word.length > 0) s.words.push(s.word);
        s.word = '';
        s.blankOK = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        s.quote = ch;
        s.blankOK = true;
        s.phase = Phase.Quote;
        continue;
      }
      pos = appendByte(s, pos, Phase.Word);
      continue;
    }
    if (ch === s.quote) {
      s.phase = Phase.Word;
      continue;
    }
    pos = appendByte(s, pos, Phase.Quote);
  }
  return { rest: '', flags: s.words };
}

/** Appends the byte at `pos` (or, after `\`, the next byte). Returns the position consumed. */
function appendByte(s: FlagScan, pos: number, phase: Phase): number {
  let p = pos;
  if (s.bytes[p] === 0x5c) {
    if (p + 1 === s.bytes.length) {
      if (phase === Phase.Quote) s.phase = Phase.Word;
      return p;
    }
    p++;
  }
  s.word += String.fromCharCode(s.bytes[p]!);
  return p;
}
