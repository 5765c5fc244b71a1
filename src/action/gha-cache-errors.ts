import type { SaveOutcome } from '../cache/cache-store.js';

/**
 * What a failed @actions/cache save meant, from the error it threw (some paths throw) or the lines it logged
 * before returning -1 (most paths): graded like actions/cache does, so every failure becomes the right
 * outcome and none fails the build.
 */
export type SaveFailure =
  | Exclude<SaveOutcome, { kind: 'saved' } | { kind: 'exists' }>
  /** Another job reserved or created the same key: fine if the entry exists now. */
  | { readonly kind: 'reserved-elsewhere'; readonly message: string };

const readOnlyReason = "the workflow's cache token is read-only for this trigger";

export function classifySaveError(err: unknown, lines: readonly string[]): SaveFailure {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'CacheWriteDeniedError' || /cache write denied/i.test(message))
    return { kind: 'read-only', reason: readOnlyReason };
  if (name === 'ValidationError')
    return { kind: 'failed', message: `the GitHub cache refused the entry: ${message}` };
  if (name === 'RateLimitError' || /\b429\b|rate limit/i.test(message))
    return { kind: 'rate-limited', ...retryAfter([message, ...lines]) };
  if (name === 'ReserveCacheError') return { kind: 'reserved-elsewhere', message };
  return classifyLines(lines) ?? { kind: 'failed', message: message || 'the GitHub cache service failed' };
}

/** A save that returned -1: its log lines say why (undefined lines → a generic failure). */
export function classifySaveLines(lines: readonly string[]): SaveFailure {
  return (
    classifyLines(lines) ?? {
      kind: 'failed',
      message: lastWarning(lines) ?? 'the GitHub cache did not save the entry',
    }
  );
}

function classifyLines(lines: readonly string[]): SaveFailure | undefined {
  const text = lines.join('\n');
  if (/cache write denied|does not permit writes/i.test(text))
    return { kind: 'read-only', reason: readOnlyReason };
  if (/rate limit|\b429\b|Too Many Requests/i.test(text))
    return { kind: 'rate-limited', ...retryAfter(lines) };
  if (/insufficient usage|storage quota|over the 10GB limit|over the data cap/i.test(text))
    return { kind: 'failed', message: "the repository's GitHub cache storage is full" };
  if (/another job may be creating this cache|Unable to reserve cache/i.test(text))
    return {
      kind: 'reserved-elsewhere',
      message: lastWarning(lines) ?? 'the key is reserved by another job',
    };
  return undefined;
}

/** `your rate limit will reset in 42 seconds` (what @actions/cache logs from Retry-After). */
function retryAfter(lines: readonly string[]): { retryAfterSeconds?: number } {
  for (const line of lines) {
    const m = /reset in (\d+) seconds|retry-after:?\s*(\d+)/i.exec(line);
    const seconds = Number(m?.[1] ?? m?.[2]);
    if (m && Number.isFinite(seconds)) return { retryAfterSeconds: seconds };
  }
  return {};
}

function lastWarning(lines: readonly string[]): string | undefined {
  const warnings = lines.filter((l) => /^::(warning|error)/.test(l) || /^Failed to save/.test(l));
  const last = warnings.at(-1);
  return last?.replace(/^::(warning|error)[^:]*::/, '').replace(/^Failed to save: /, '');
}
