/**
 * Retries with exponential backoff and jitter for transient registry failures: 408, 429, 5xx (not 501/505) and
 * connection resets/timeouts. `Retry-After` (seconds or an HTTP date) is honoured. Attempts and total time are
 * bounded; every retry is logged at debug with its reason.
 */
import type { Logger } from '../log.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Stop retrying when the next wait would end later than this after the first attempt. */
  readonly maxElapsedMs: number;
  /** A Retry-After longer than this is not waited for: the error is raised instead. */
  readonly maxRetryAfterMs: number;
  /** ± fraction of the computed delay added at random. */
  readonly jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxElapsedMs: 120_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
};

/** Time, sleep and randomness for retries; tests pass a recording fake. */
export interface RetryTimer {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** Why an attempt may be retried; thrown errors carry it as `retry`. */
export interface RetryHint {
  readonly reason: string;
  readonly retryAfterMs?: number;
}

const retryableNetworkCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

export function isRetryableNetworkError(err: unknown): boolean {
  // Duck-typed: errors from Node's own modules may come from another realm (jest's VM), failing instanceof.
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && retryableNetworkCodes.has(code)) return true;
  return typeof message === 'string' && /socket hang up|aborted|premature close/i.test(message);
}

/** Parses Retry-After: delta-seconds or an HTTP date (relative to `nowMs`); undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The wait before retry number `retry` (1-based): base × 2^(retry-1), capped, ± jitter. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const spread = raw * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(raw + spread));
}

/** Extracts the retry hint from an error, if it has one. */
export type RetryClassifier = (err: unknown) => RetryHint | undefined;

export interface RetryContext {
  readonly policy: RetryPolicy;
  readonly timer: RetryTimer;
  readonly logger: Logger;
  /** e.g. `PUT https://host/v2/app/blobs/uploads/…` */
  readonly what: string;
  readonly classify: RetryClassifier;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy's bounds are reached. */
export async function withRetry<T>(ctx: RetryContext, attempt: (n: number) => Promise<T>): Promise<T> {
  const started = ctx.timer.nowMs();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const hint = ctx.classify(err);
      if (hint === undefined || n >= ctx.policy.maxAttempts) throw err;
      const wait = nextWait(ctx, n, hint);
      const elapsed = ctx.timer.nowMs() - started;
      if (wait === undefined || elapsed + wait > ctx.policy.maxElapsedMs) throw err;
      ctx.logger.debug(
        `retrying ${ctx.what} after ${hint.reason} (attempt ${n + 1}/${ctx.policy.maxAttempts}, waiting ${formatMs(wait)})`,
      );
      await ctx.timer.sleep(wait);
    }
  }
}

function nextWait(ctx: RetryContext, n: number, hint: RetryHint): number | undefined {
  if (hint.retryAfterMs !== undefined) {
    return hint.retryAfterMs > ctx.policy.maxRetryAfterMs ? undefined : hint.retryAfterMs;
  }
  return backoffDelay(n, ctx.policy, () => ctx.timer.random());
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
