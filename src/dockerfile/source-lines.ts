/**
 * Physical lines of a Dockerfile as BuildKit's scanner sees them: split after each `\n` (kept), a UTF-8 BOM
 * dropped from the first line, and no line of 65,536 bytes or more.
 */
import { DockerfileError } from '../errors.js';
import { decodeUtf8Lossless, encodeUtf8Lossless } from './go-text.js';

/** BuildKit's `bufio.Scanner` limit: a line (without its `\n`) must be shorter than 64 KiB. */
export const maxLineBytes = 65535;

/** Splits into physical lines, each keeping its `\n`. Throws DockerfileError for an over-long line. */
export function splitPhysicalLines(source: string | Uint8Array, file: string): string[] {
  const bytes = typeof source === 'string' ? encodeUtf8Lossless(source) : source;
  const lines: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl + 1;
    const contentLength = (nl < 0 ? bytes.length : nl) - start;
    if (contentLength > maxLineBytes) {
      throw new DockerfileError(`dockerfile line greater than max allowed size of ${maxLineBytes}`, {
        location: { file, line: lines.length + 1, endLine: lines.length + 1 },
        hint: 'split the line with a line continuation or move the data into a file',
      });
    }
    lines.push(decodeUtf8Lossless(bytes.subarray(start, end)));
    start = end;
  }
  if (lines[0]?.startsWith('\ufeff')) lines[0] = lines[0].slice(1);
  return lines;
}

/** Removes every trailing `\r` and `\n` (Go `bytes.TrimRight(b, "\r\n")`). */
export function trimNewline(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '\n' || line[end - 1] === '\r')) end--;
  return line.slice(0, end);
}

/**
 * If the line ends with the escape token (before trailing blanks or tabs), the instruction continues: the
 * token and the blanks after it go. An escaped escape token (`\\`) does not continue the line.
 * Returns the line and whether the instruction ends here.
 */
export function trimContinuation(line: string, escapeToken: string): [string, boolean] {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  if (end === 0 || line[end - 1] !== escapeToken) return [line, true];
  if (end === 1) return ['', false];
  if (line[end - 2] === escapeToken) return [line, true];
  return [line.slice(0, end - 1), false];
}
