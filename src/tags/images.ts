import { InputError } from '../errors.js';
import { parseEntryFields, parseList, splitField, type EntryField } from './parse-list.js';
import { sanitizeImageName } from './sanitize.js';

export interface ImageEntry {
  readonly name: string;
  readonly enable: boolean;
}

/**
 * Parses the `images` input like metadata-action: one image per entry as `name/app` or `name=name/app,enable=…`.
 * The legacy form `a/app,b/app` (a single entry of bare names) lists several images.
 */
export function parseImages(text: string): readonly ImageEntry[] {
  const { entries } = parseList('images', text);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only !== undefined) {
    const fields = parseEntryFields('images', only).map((field) => splitField(field, 'legacy'));
    if (fields.every((field) => field.kind === 'bare')) {
      return fields.map((field) => ({ name: field.value, enable: true }));
    }
  }
  return entries.map(parseImageEntry);
}

/** The names to tag: enabled entries, lower-cased, in input order. */
export function enabledImageNames(images: readonly ImageEntry[]): readonly string[] {
  return images.filter((image) => image.enable).map((image) => sanitizeImageName(image.name));
}

function parseImageEntry(entry: string): ImageEntry {
  let name: string | undefined;
  let enable = true;
  const setName = (value: string): void => {
    if (name !== undefined) throw imageError(entry, `the image name is given twice`);
    name = value;
  };
  for (const field of parseEntryFields('images', entry).map((f) => splitField(f, 'legacy'))) {
    if (field.kind === 'bare') setName(field.value);
    else if (field.key === 'name') setName(field.value);
    else if (field.key === 'enable') enable = readEnable(entry, field);
    else throw imageError(entry, `unknown attribute "${field.key}"`, 'use name=… and enable=true|false');
  }
  if (name === undefined || name.length === 0) {
    throw imageError(entry, 'the image name is empty', 'e.g. name=ghcr.io/owner/app');
  }
  return { name, enable };
}

function readEnable(entry: string, field: EntryField & { kind: 'pair' }): boolean {
  if (field.value !== 'true' && field.value !== 'false') {
    throw imageError(entry, `enable "${field.value}" is not true or false`);
  }
  return field.value === 'true';
}

function imageError(entry: string, message: string, hint?: string): InputError {
  return new InputError('images', `${message} in "${entry}"`, hint === undefined ? {} : { hint });
}
