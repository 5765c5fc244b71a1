/**
 * One CSV record on one line, as `tonistiigi/go-csvvalue` (which BuildKit uses for `--mount` and
 * `--device`): fields separated by `,`, a field that starts with `"` is quoted (`""` is a quote), a quote
 * anywhere else is an error, and an empty value is an error (Go's `io.EOF`).
 */
import { encodeUtf8Lossless } from './go-text.js';

export class CsvError extends Error {}

export function csvFields(input: string): string[] {
  let line = input.endsWith('\r\n') ? input.slice(0, -2) : input.endsWith('\n') ? input.slice(0, -1) : input;
  if (line === '') throw new CsvError('EOF');
  const fields: string[] = [];
  let pos = 0;
  for (;;) {
    if (!line.startsWith('"')) {
      const comma = line.indexOf(',');
      const field = comma < 0 ? line : line.slice(0, comma);
      const quote = field.indexOf('"');
      if (quote >= 0) throw parseError(input, pos + quote, 'bare " in non-quoted-field');
      fields.push(field);
      if (comma < 0) return fields;
      line = line.slice(comma + 1);
      pos += comma + 1;
      continue;
    }
    const quoted = readQuoted(input, line.slice(1), pos + 1);
    fields.push(quoted.field);
    if (quoted.rest === undefined) return fields;
    line = quoted.rest;
    pos = quoted.pos;
  }
}

/** Reads a quoted field body; `rest` is what follows the `,` or undefined at the end of the line. */
function readQuoted(
  input: string,
  body: string,
  start: number,
): { field: string; rest?: string; pos: number } {
  let field = '';
  let line = body;
  let pos = start;
  for (;;) {
    const quote = line.indexOf('"');
    if (quote < 0) throw parseError(input, pos, 'extraneous or missing " in quoted-field');
    field += line.slice(0, quote);
    line = line.slice(quote + 1);
    pos += quote + 1;
    if (line.startsWith('"')) {
      field += '"';
      line = line.slice(1);
      pos += 1;
    } else if (line.startsWith(',')) return { field, rest: line.slice(1), pos: pos + 1 };
    else if (line === '') return { field, pos };
    else throw parseError(input, pos - 1, 'extraneous or missing " in quoted-field');
  }
}

/** `parse error on line 1, column N: …` with Go's byte-based column. */
function parseError(input: string, at: number, what: string): CsvError {
  const column = encodeUtf8Lossless(input.slice(0, at)).length + 1;
  return new CsvError(`parse error on line 1, column ${column}: ${what}`);
}
