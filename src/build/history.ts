import { goQuote } from '../dockerfile/index.js';
import type { HealthcheckTest } from '../dockerfile/index.js';

/**
 * The `created_by` texts BuildKit's Dockerfile frontend writes (docs/buildkit-semantics.md §6), so
 * `docker history` of our images reads like BuildKit's.
 */
export const historyComment = 'buildkit.dockerfile.v0';

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goStringSlice(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goPlainSlice(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/**
 * `RUN |2 A=1 B= /bin/sh -c cmd # buildkit`: every ARG of the stage with its current value, then the args. An ARG
 * declared twice is listed once, at its first place, with the later value (BuildKit's `runCommandString`).
 */
export function runHistory(
  args: readonly string[],
  stageArgs: readonly (readonly [string, string])[],
): string {
  const unique = new Map<string, string>();
  for (const [k, v] of stageArgs) unique.set(k, v);
  const pairs = [...unique].map(([k, v]) => `${k}=${v}`);
  const prefix = pairs.length > 0 ? `|${pairs.length} ${pairs.join(' ')} ` : '';
  return `RUN ${prefix}${args.join(' ')} # buildkit`;
}

export function copyHistory(
  kind: 'COPY' | 'ADD',
  flags: { readonly parents?: boolean; readonly chown?: string; readonly chmod?: string },
  sources: readonly string[],
  inlineNames: readonly string[],
  dest: string,
): string {
  let s = kind;
  if (flags.parents) s += ' --parents';
  if (flags.chown) s += ` --chown=${flags.chown}`;
  if (flags.chmod) s += ` --chmod=${flags.chmod}`;
  for (const src of sources) s += ` ${src}`;
  for (const n of inlineNames) s += ` <<${n}`;
  return `${s} ${dest} # buildkit`;
}

/** Go's time.Duration.String() for nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1000) out = `${n}ns`;
  else if (n < 1_000_000) out = `${trim(n / 1000)}µs`;
  else if (n < 1_000_000_000) out = `${trim(n / 1_000_000)}ms`;
  else {
    const h = Math.floor(n / 3_600_000_000_000);
    n -= h * 3_600_000_000_000;
    const m = Math.floor(n / 60_000_000_000);
    n -= m * 60_000_000_000;
    const sec = `${trim(n / 1_000_000_000)}s`;
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? `-${out}` : out;
}

function trim(v: number): string {
  return String(Number(v.toFixed(9)));
}

/**
 * BuildKit writes `fmt.Sprintf("HEALTHCHECK %q", config.Healthcheck)` (dockerfile2llb `dispatchHealthcheck`): Go's
 * `%q` of a struct pointer, so `&{["CMD-SHELL" "curl -f x"] "30s" "0s" "0s" "0s" '\x03'}` — the test as quoted
 * strings, each duration quoted through its String(), and the retry count as a quoted rune.
 */
export function healthcheckHistory(check: { readonly type: 'none' } | HealthcheckTest): string {
  const c =
    check.type === 'none'
      ? { test: ['NONE'], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 }
      : check;
  const durations = [c.interval, c.timeout, c.startPeriod, c.startInterval].map((d) =>
    goQuote(goDuration(d)),
  );
  return `HEALTHCHECK &{${goStringSlice(c.test)} ${durations.join(' ')} ${goQuoteRune(c.retries)}}`;
}

/** Go's `%q` of an integer: a quoted character literal (`'\x03'`, `'\n'`, `'A'`). */
export function goQuoteRune(n: number): string {
  const valid = Number.isInteger(n) && n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
  const cp = valid ? n : 0xfffd;
  if (cp === 0x27) return "'\\''";
  if (cp === 0x22) return `'"'`;
  return `'${goQuote(String.fromCodePoint(cp)).slice(1, -1)}'`;
}
