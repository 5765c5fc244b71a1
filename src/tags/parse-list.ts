import { parse, CsvError, type Options as CsvOptions } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/**
 * metadata-action reads its list inputs in two CSV passes, and this module reproduces both, quirks included.
 *
 * Pass 1 (`parseList`, docker/actions-toolkit `Util.getList` with `ignoreComma`): the whole input is CSV with relaxed
 * quotes, `#` starts a comment only at the very start of a line, blank lines are skipped, and a record of several
 * fields is joined back with `,` — one line, one entry. Quotes are consumed here, so `type=match,"pattern=a{1,2}"`
 * reaches pass 2 as `type=match,pattern=a{1,2}` and splits at the inner comma (we warn about it).
 *
 * Pass 2 (`parseEntryFields`): one entry is CSV again, strict quotes, no comments.
 *
 * One fix over upstream: an entry that starts with `#` after trimming (an indented comment line) is a comment,
 * not a tag named `-comment`.
 */

export interface ParsedList {
  readonly entries: readonly string[];
  readonly warnings: readonly string[];
}

export function parseList(input: string, text: string): ParsedList {
  if (text === '') return { entries: [], warnings: [] };
  const records = parseCsv(input, text, {
    columns: false,
    relax_quotes: true,
    comment: '#',
    comment_no_infix: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const entries: string[] = [];
  const warnings: string[] = [];
  for (const record of records) {
    const joined = (record.length === 1 ? record[0] : record.join(',')) ?? '';
    const entry = joined.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    if (record.length > 1 && record.some((field) => field.includes(','))) {
      warnings.push(
        `input '${input}': the quoted comma in "${entry}" is split like metadata-action does; ` +
          `to keep it, quote the whole line and double the inner quotes`,
      );
    }
    entries.push(entry);
  }
  return { entries, warnings };
}

/** Pass 2: the fields of one entry. */
export function parseEntryFields(input: string, entry: string): readonly string[] {
  const records = parseCsv(input, entry, { relax_column_count: true, skip_empty_lines: true });
  return records[0] ?? [];
}

/** A field of an entry, split into key and value; keys are lower-cased, both sides trimmed. */
export type EntryField =
  | { readonly kind: 'bare'; readonly value: string }
  | { readonly kind: 'pair'; readonly key: string; readonly value: string };

/**
 * Splits a field the way metadata-action does. `first` (tags): at the first `=` that follows a non-empty key, so
 * values may contain `=`. `legacy` (images, flavor): at every `=`, keeping only the first two parts.
 */
export function splitField(field: string, mode: 'first' | 'legacy'): EntryField {
  const parts = mode === 'first' ? field.split(/(?<=^[^=]+?)=/) : field.split('=');
  const [key = '', value = ''] = parts.map((part) => part.trim());
  if (parts.length === 1) return { kind: 'bare', value: key };
  return { kind: 'pair', key: key.toLowerCase(), value };
}

function parseCsv(input: string, text: string, options: CsvOptions): string[][] {
  try {
    return parse(text, options);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new InputError(input, `cannot read "${offendingLine(text, err)}": ${err.message}`, {
      hint: 'check the quotes: a field that contains a quote must be quoted as a whole, with the quote doubled',
      cause: err,
    });
  }
}

/** The line to quote: the one that opened an unclosed quote, else the line csv-parse stopped at. */
function offendingLine(text: string, err: CsvError): string {
  const lines = text.split(/\r?\n/);
  const unclosed = err.code === 'CSV_QUOTE_NOT_CLOSED';
  const found = unclosed ? lines.find((line) => (line.match(/"/g) ?? []).length % 2 === 1) : undefined;
  const at = (err as CsvError & { lines?: number }).lines ?? 1;
  const line = (found ?? lines[at - 1] ?? lines[0] ?? '').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
