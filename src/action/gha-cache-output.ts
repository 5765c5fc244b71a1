/**
 * @actions/cache reports most failures only through @actions/core's log (a `::warning::`, an `::error::` for a
 * 5xx, or an info line written to stdout) and returns -1 or a miss: a 429 with its Retry-After, a read-only
 * token ("cache write denied:"), a lost reservation race, a restore that failed. To act on them (wait once,
 * switch to restore-only, check whether the other job saved the entry, tell a failure from a miss) we read the
 * lines it writes while one of its calls runs. They still reach the log, but its annotations become debug
 * lines: the caller reports each failure once, as a warning of its own (an `::error::` annotation for a cache
 * problem would mark a successful build red, and the library's warning would repeat ours).
 */
export interface CapturedCall<T> {
  readonly result: T;
  readonly lines: readonly string[];
}

export class CapturedCallError extends Error {
  constructor(
    readonly original: unknown,
    readonly lines: readonly string[],
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'CapturedCallError';
  }
}

/** Runs `fn`, collecting the lines written to stdout meanwhile; calls must not overlap (they do not). */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<CapturedCall<T>> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  let pending = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    pending += text;
    const parts = pending.split(/\r?\n/);
    pending = parts.pop() ?? '';
    lines.push(...parts);
    return (write as (c: string, ...r: unknown[]) => boolean)(demoteAnnotations(text), ...rest);
  }) as typeof process.stdout.write;
  try {
    const result = await fn();
    return { result, lines: flush(lines, pending) };
  } catch (err) {
    throw new CapturedCallError(err, flush(lines, pending));
  } finally {
    process.stdout.write = write;
  }
}

/** `::warning::…` / `::error file=…::…` at a line start → `::debug::…` (core writes each command whole). */
export function demoteAnnotations(text: string): string {
  return text.replace(/^::(?:warning|error)(?: [^:\n]*)?::/gm, '::debug::');
}

function flush(lines: string[], pending: string): string[] {
  return pending === '' ? lines : [...lines, pending];
}
