/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`) as BuildKit's DirectiveParser reads them: only
 * at the very top, keys case-insensitive, each at most once; the first line that is not a known directive
 * (a blank line, any other comment, an instruction) ends the scan for good.
 */
import type { Directive, DirectiveName } from './ast.js';
import { goTrimLeft } from './go-text.js';

const directiveLine = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/u;
const known: ReadonlySet<string> = new Set<DirectiveName>(['syntax', 'escape', 'check']);

/** A directive problem; `line` is 1-based. */
export class DirectiveError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export class DirectiveScanner {
  private done = false;
  private readonly seen = new Set<string>();
  private readonly found: Directive[] = [];
  private escape = '\\';

  /** The escape token in force: `\` or `` ` ``. */
  get escapeToken(): string {
    return this.escape;
  }

  get directives(): readonly Directive[] {
    return this.found;
  }

  /** Feeds one physical line (newline removed). Returns true if it was a directive; throws DirectiveError. */
  feed(text: string, line: number): boolean {
    if (this.done) return false;
    if (!text.startsWith('#')) return this.stop();
    const match = directiveLine.exec(goTrimLeft(text.slice(1)));
    if (!match) return this.stop();
    const name = match[1]!.toLowerCase();
    if (!known.has(name)) return this.stop();
    if (this.seen.has(name)) throw new DirectiveError(`only one ${name} parser directive can be used`, line);
    this.seen.add(name);
    const value = match[2]!;
    if (name === 'escape') {
      if (value !== '`' && value !== '\\') {
        throw new DirectiveError(`invalid escape token '${value}' does not match \` or \\`, line);
      }
      this.escape = value;
    }
    this.found.push({ name: name as DirectiveName, value, line });
    return true;
  }

  private stop(): false {
    this.done = true;
    return false;
  }
}
