/** The lexer's input scanner (Go text/scanner semantics) and its word accumulator (BuildKit `wordsStruct`). */
import { isGoSpace, toGoRunes } from './go-text.js';

/** Go's text/scanner over runes: invalid bytes read as U+FFFD and a leading BOM is skipped. */
export class Scanner {
  private readonly chars: readonly string[];
  private pos = 0;
  constructor(source: string) {
    const chars = Array.from(toGoRunes(source));
    this.chars = chars[0] === '\ufeff' ? chars.slice(1) : chars;
  }
  peek(): string | undefined {
    return this.chars[this.pos];
  }
  next(): string | undefined {
    return this.pos < this.chars.length ? this.chars[this.pos++] : undefined;
  }
}

export class Words {
  private readonly done: string[] = [];
  private buf = '';
  private inWord = false;

  addChar(ch: string): void {
    const space = isGoSpace(ch.codePointAt(0)!);
    if (space && this.inWord) {
      if (this.buf.length !== 0) {
        this.done.push(this.buf);
        this.buf = '';
        this.inWord = false;
      }
    } else if (!space) this.addRawChar(ch);
  }
  addRawChar(ch: string): void {
    this.buf += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.buf += s;
    this.inWord = true;
  }
  finish(): string[] {
    if (this.buf.length > 0) {
      this.done.push(this.buf);
      this.buf = '';
      this.inWord = false;
    }
    return this.done;
  }
}
