import { InputError } from '../errors.js';

const units: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Parses a byte size for a budget input: `1073741824`, `512m`, `2GB`, `1.5 GiB` (binary units, case-insensitive).
 * Throws InputError naming the input for anything else, or for a size below one MiB.
 */
export function parseByteSize(input: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = units[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) {
    throw new InputError(input, `${JSON.stringify(value)} is not a size`, {
      hint: 'write bytes or a number with a unit, e.g. 2g, 500m, 1073741824',
    });
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < 1024 ** 2) {
    throw new InputError(input, `${JSON.stringify(value)} is too small for a cache`, {
      hint: 'use at least 1m',
    });
  }
  return bytes;
}
