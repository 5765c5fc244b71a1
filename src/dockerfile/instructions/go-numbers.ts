/**
 * The Go number parsers instruction options go through: `strconv.ParseBool`, `strconv.ParseUint`,
 * `strconv.ParseInt`, `time.ParseDuration` and docker/go-units `RAMInBytes`. Each returns undefined (or an
 * error message) where Go returns an error.
 */

const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseGoBool(s: string): boolean | undefined {
  if (trueWords.has(s)) return true;
  if (falseWords.has(s)) return false;
  return undefined;
}

/** `strconv.ParseUint(s, base, bits)` for base 8 or 10 (no sign, no underscores, no prefix). */
export function parseGoUint(s: string, base: 8 | 10, bits: number): number | undefined {
  const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const n = BigInt(base === 8 ? `0o${s}` : s);
  return n < 1n << BigInt(bits) ? Number(n) : undefined;
}

/** `strconv.ParseInt(s, 10, 32)`. */
export function parseGoInt32(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(1n << 31n) && n < 1n << 31n ? Number(n) : undefined;
}

/** go-units `RAMInBytes`: `128m`, `1.5g`, `10 MiB`, `4096` (binary multiples, suffix case-insensitive). */
export function parseRamInBytes(s: string): number | undefined {
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(s[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return undefined;
  const num = s[sep] === ' ' ? s.slice(0, sep) : s.slice(0, sep + 1);
  const suffix = s.slice(sep + 1).toLowerCase();
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(num)) return undefined;
  const size = Number(num);
  if (size < 0) return undefined;
  const multiplier = ramMultiplier(suffix);
  return multiplier === undefined ? undefined : Math.trunc(size * multiplier);
}

function ramMultiplier(suffix: string): number | undefined {
  if (suffix === '' || suffix === 'b') return 1;
  if (suffix.length > 3) return undefined;
  const power = 'kmgtp'.indexOf(suffix[0]!);
  if (power < 0) return undefined;
  if (suffix.length === 2 && suffix[1] !== 'b') return undefined;
  if (suffix.length === 3 && suffix.slice(1) !== 'ib') return undefined;
  return 1024 ** (power + 1);
}

const unitNanos: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const maxDuration = (1n << 63n) - 1n;

/** `time.ParseDuration`: nanoseconds, or an error message (`time: invalid duration "x"`). */
export function parseGoDuration(input: string): bigint | string {
  const invalid = `time: invalid duration ${JSON.stringify(input)}`;
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    const term = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const [whole, intPart = '', frac] = term;
    if (intPart === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice(whole.length);
    const unitLength = s.search(/[0-9.]/);
    const unit = unitLength < 0 ? s : s.slice(0, unitLength);
    if (unit === '') return `time: missing unit in duration ${JSON.stringify(input)}`;
    s = s.slice(unit.length);
    const scale = unitNanos[unit];
    if (scale === undefined)
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(input)}`;
    const value = termNanos(intPart, frac ?? '', scale);
    if (value === undefined) return invalid;
    total += value;
    if (total > 1n << 63n) return invalid;
  }
  if (neg) return -total;
  return total > maxDuration ? invalid : total;
}

/** One `<int>[.<frac>]<unit>` term; the fraction is applied in float64 like Go does. */
function termNanos(intPart: string, frac: string, scale: bigint): bigint | undefined {
  const v = intPart === '' ? 0n : BigInt(intPart);
  if (v > (1n << 63n) / scale) return undefined;
  let nanos = v * scale;
  let f = 0n;
  let fScale = 1;
  for (const digit of frac) {
    if (f > ((1n << 63n) - 1n) / 10n) break;
    f = f * 10n + BigInt(digit);
    fScale *= 10;
  }
  if (f > 0n) {
    nanos += BigInt(Math.trunc(Number(f) * (Number(scale) / fScale)));
    if (nanos > 1n << 63n) return undefined;
  }
  return nanos;
}
