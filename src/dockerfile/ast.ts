/**
 * The low-level parse tree, as BuildKit's `parser.Node`: one node per instruction, its raw flags and its
 * arguments split per instruction (FORMAT.md §4.3), before any typing or variable expansion.
 */

/** A here-document attached to RUN, COPY or ADD (or an ONBUILD wrapping one). */
export interface Heredoc {
  /** The delimiter word with quotes removed: `EOF` for `<<"EOF"`. */
  readonly name: string;
  /** The body as written, every line with its newline, up to (not including) the terminator line. */
  readonly content: string;
  /** False when any part of the delimiter was quoted (`<<'EOF'`, `<<"EOF"`, `<<E"O"F`). */
  readonly expand: boolean;
  /** `<<-`: leading tabs are stripped from the terminator line now and from the body when it is used. */
  readonly chomp: boolean;
  /** The file descriptor digits before `<<` (`3<<EOF`), else 0. */
  readonly fileDescriptor: number;
}

export interface Node {
  /** The instruction word, lower-cased (`run`); unknown words are kept too. */
  readonly keyword: string;
  /** The instruction word as written (`Run`), for casing checks. */
  readonly keywordAsWritten: string;
  /** The logical line after joining continuations (comments and empty lines dropped). */
  readonly original: string;
  /** Leading `--flag[=value]` words, quotes removed, `--` prefix kept. */
  readonly flags: readonly string[];
  /** Arguments per FORMAT.md §4.3; for ENV/LABEL the `key value sep` triples. Empty for ONBUILD. */
  readonly args: readonly string[];
  /** The arguments were a JSON array (exec form). */
  readonly json: boolean;
  /** ONBUILD only: the trigger instruction. */
  readonly next: Node | undefined;
  readonly heredocs: readonly Heredoc[];
  /** 1-based physical lines, heredoc bodies included. */
  readonly startLine: number;
  readonly endLine: number;
  /** Comment lines directly above the instruction (for stage and ARG descriptions). */
  readonly comments: readonly string[];
}

export type DirectiveName = 'syntax' | 'escape' | 'check';

export interface Directive {
  readonly name: DirectiveName;
  readonly value: string;
  /** 1-based physical line. */
  readonly line: number;
}

export interface ParseWarning {
  readonly message: string;
  /** 1-based line the warning points at. */
  readonly line: number;
  readonly url?: string;
}

export interface ParseResult {
  readonly file: string;
  readonly nodes: readonly Node[];
  readonly directives: readonly Directive[];
  /** `\` unless `# escape=` set `` ` ``. */
  readonly escapeToken: string;
  readonly warnings: readonly ParseWarning[];
}
