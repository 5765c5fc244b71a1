/**
 * Dockerfile text → parse tree, as BuildKit's `parser.Parse`: directives, comments, line continuations
 * (comment and empty lines inside are dropped, the latter with a warning), heredoc bodies, and per-keyword
 * argument splitting. Errors are DockerfileErrors with the file and line.
 */
import { DockerfileError } from '../errors.js';
import type { Heredoc, Node, ParseResult, ParseWarning } from './ast.js';
import { DirectiveError, DirectiveScanner } from './directives.js';
import { decodeUtf8Lossless, encodeUtf8Lossless, goToLower, goTrimLeft, goTrimSpace } from './go-text.js';
import { heredocKeywords, heredocMarkersOnLine, type HeredocMarker } from './heredoc.js';
import { LineParseError, lineParserFor } from './line-parsers.js';
import { splitPhysicalLines, trimContinuation, trimNewline } from './source-lines.js';
import { splitCommand } from './split-command.js';

export interface ParseOptions {
  /** The name used in error locations; `Dockerfile` by default. */
  readonly file?: string;
}

const emptyContinuationUrl = 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/';

/** Parses Dockerfile text or bytes. Throws DockerfileError. */
export function parse(source: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? 'Dockerfile';
  const state = new ParseState(splitPhysicalLines(source, file), file);
  while (state.hasMore()) state.parseInstruction();
  if (state.nodes.length === 0) {
    throw new DockerfileError('file with no instructions', {
      location: { file, line: Math.max(state.lineNo, 1) },
      hint: 'a Dockerfile needs at least a FROM instruction',
    });
  }
  return {
    file,
    nodes: state.nodes,
    directives: state.directives.directives,
    escapeToken: state.directives.escapeToken,
    warnings: state.warnings,
  };
}

class ParseState {
  readonly nodes: Node[] = [];
  readonly warnings: ParseWarning[] = [];
  readonly directives = new DirectiveScanner();
  /** Physical lines consumed so far (= the 1-based number of the last one read). */
  lineNo = 0;
  private comments: string[] = [];

  constructor(
    private readonly lines: readonly string[],
    private readonly file: string,
  ) {}

  hasMore(): boolean {
    return this.lineNo < this.lines.length;
  }

  private read(): string | undefined {
    return this.hasMore() ? this.lines[this.lineNo++] : undefined;
  }

  /** Reads one logical line (if it holds an instruction) and its heredoc bodies. */
  parseInstruction(): void {
    const raw = this.read()!;
    this.noteComment(raw);
    const first = this.processLine(raw, true);
    const startLine = this.lineNo;
    const [head, ended] = trimContinuation(first, this.directives.escapeToken);
    if (ended && head === '') return;
    const line = ended ? head : this.readContinuation(head);
    const node = this.nodeAt(line, startLine);
    const heredocs = this.readHeredocs(node, startLine);
    this.nodes.push({ ...node, heredocs, startLine, endLine: this.lineNo });
    this.comments = [];
  }

  /** Joins continuation lines; comment lines are skipped, empty ones skipped with a warning. */
  private readContinuation(head: string): string {
    let line = head;
    let sawEmpty = false;
    for (let ended = false; !ended;) {
      const raw = this.read();
      if (raw === undefined) break;
      const text = this.processLine(raw, false);
      if (isComment(raw)) continue;
      if (goTrimLeft(text) === '') {
        sawEmpty = true;
        continue;
      }
      const [part, end] = trimContinuation(text, this.directives.escapeToken);
      line += part;
      ended = end;
    }
    if (sawEmpty) {
      this.warnings.push({
        message: `Empty continuation line found in: ${line}`,
        line: this.lineNo,
        url: emptyContinuationUrl,
      });
    }
    return line;
  }

  /** Trims the newline (and leading blanks on an instruction's first line), feeds directives, drops comments. */
  private processLine(raw: string, stripLeft: boolean): string {
    let text = trimNewline(raw);
    if (stripLeft) text = goTrimLeft(text);
    try {
      if (stripLeft && this.directives.feed(text, this.lineNo)) this.comments.pop();
    } catch (err) {
      if (err instanceof DirectiveError) throw this.error(err.message, err.line, err.line);
      throw err;
    }
    return isComment(text) ? '' : text;
  }

  /** Collects `# …` lines above an instruction, as BuildKit does (an empty `#` resets them). */
  private noteComment(raw: string): void {
    if (!isComment(raw)) return;
    const comment = goTrimSpace(decodeUtf8Lossless(encodeUtf8Lossless(raw).subarray(1)));
    if (comment === '') this.comments = [];
    else this.comments.push(comment);
  }

  private nodeAt(line: string, startLine: number): Omit<Node, 'heredocs' | 'startLine' | 'endLine'> {
    try {
      return nodeFromLine(line, this.directives.escapeToken, this.comments, startLine);
    } catch (err) {
      if (err instanceof LineParseError) throw this.error(err.message, startLine, this.lineNo);
      throw err;
    }
  }

  private readHeredocs(node: Omit<Node, 'heredocs' | 'startLine' | 'endLine'>, startLine: number): Heredoc[] {
    if (!canContainHeredoc(node) || !node.original.includes('<<')) return [];
    let markers: HeredocMarker[];
    try {
      markers = heredocMarkersOnLine(node.original);
    } catch (err) {
      throw this.error(err instanceof Error ? err.message : String(err), startLine, this.lineNo);
    }
    return markers.map((marker) => {
      let content = '';
      for (let raw = this.read(); raw !== undefined; raw = this.read()) {
        let candidate = trimNewline(raw);
        if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === marker.name) return { ...marker, content };
        content += raw;
      }
      throw this.error(
        'unterminated heredoc',
        startLine,
        this.lineNo,
        `add a line containing only ${marker.name}`,
      );
    });
  }

  private error(message: string, line: number, endLine: number, hint?: string): DockerfileError {
    return new DockerfileError(message, {
      location: { file: this.file, line, endLine },
      ...(hint ? { hint } : {}),
    });
  }
}

/** Builds a node from a logical line (BuildKit `newNodeFromLine`); ONBUILD parses its trigger as a node. */
function nodeFromLine(
  line: string,
  escapeToken: string,
  comments: readonly string[],
  startLine: number,
): Omit<Node, 'heredocs' | 'startLine' | 'endLine'> {
  const { keyword, flags, rest } = splitCommand(line);
  const lower = goToLower(keyword);
  const parsed = lineParserFor(lower)(rest, escapeToken);
  const trigger =
    parsed.subCommand === undefined ? undefined : nodeFromLine(parsed.subCommand, escapeToken, [], startLine);
  return {
    keyword: lower,
    keywordAsWritten: keyword,
    original: line,
    flags,
    args: parsed.args,
    json: parsed.json,
    next: trigger && { ...trigger, heredocs: [], startLine, endLine: startLine },
    comments: [...comments],
  };
}

function canContainHeredoc(node: Pick<Node, 'keyword' | 'json' | 'next'>): boolean {
  const target = node.keyword === 'onbuild' && node.next ? node.next : node;
  return heredocKeywords.has(target.keyword) && !target.json;
}

/** A line whose first non-blank character is `#`. */
function isComment(line: string): boolean {
  return goTrimLeft(line).startsWith('#');
}
