/** Parsers for single input values: booleans, choices, lists. Every failure names the input and what it takes. */
import { InputError } from '../errors.js';
import type { InputName } from './names.js';

const trueWords = new Set(['true', 'True', 'TRUE']);
const falseWords = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core booleans, like @actions/core's getBooleanInput; an empty value takes the default. */
export function parseBoolean(input: InputName, text: string, fallback: boolean): boolean {
  const value = text.trim();
  if (value === '') return fallback;
  if (trueWords.has(value)) return true;
  if (falseWords.has(value)) return false;
  throw new InputError(input, `"${value}" is not a boolean`, { hint: 'use true or false' });
}

/** One of a fixed set of words (case-sensitive); an empty value takes the default. */
export function parseChoice<T extends string>(
  input: InputName,
  text: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = text.trim();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(input, `"${value}" is not one of ${choices.join(', ')}`, {
    hint: `use one of: ${choices.join(', ')}`,
  });
}

/** One entry per line, trimmed; blank lines and lines starting with `#` are skipped (build-args, secrets). */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Entries separated by newlines or commas (insecure-registries, outputs). */
export function splitList(text: string): string[] {
  return splitLines(text).flatMap((line) =>
    line
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

/** SOURCE_DATE_EPOCH policy: the commit's time, a fixed time, or none (timestamps as they come). */
export type EpochSetting =
  | { readonly kind: 'commit' }
  | { readonly kind: 'fixed'; readonly seconds: number }
  | { readonly kind: 'none' };

/** `commit` (default), `none`, or unix seconds. `fallbackEnv` is the job's SOURCE_DATE_EPOCH, if set. */
export function parseEpoch(text: string, fallbackEnv: string | undefined): EpochSetting {
  const fromEnv = text.trim() === '' && (fallbackEnv?.trim() ?? '') !== '';
  const value = text.trim() || fallbackEnv?.trim() || 'commit';
  if (value === 'commit') return { kind: 'commit' };
  if (value === 'none' || value === 'false') return { kind: 'none' };
  if (/^\d{1,12}$/.test(value)) return { kind: 'fixed', seconds: Number(value) };
  const source = fromEnv ? ' (from the SOURCE_DATE_EPOCH environment variable)' : '';
  throw new InputError(
    'source-date-epoch',
    `"${value}"${source} is not commit, none or a unix time in seconds`,
    {
      hint: 'use commit (the default), none, or a whole number of seconds such as 1700000000',
    },
  );
}
