import { MemoryLogger } from '../../src/log.js';
import {
  backoffDelay,
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  withRetry,
  type RetryHint,
  type RetryPolicy,
} from '../../src/registry/retry.js';

const now = Date.parse('2026-01-02T03:04:05Z');

describe('parseRetryAfter', () => {
  test.each([
    { name: 'seconds', given: '2', want: 2000 },
    { name: 'zero seconds', given: '0', want: 0 },
    { name: 'an HTTP date in the future', given: 'Fri, 02 Jan 2026 03:04:15 GMT', want: 10_000 },
    { name: 'an HTTP date in the past waits zero', given: 'Fri, 02 Jan 2026 03:00:00 GMT', want: 0 },
    { name: 'absent', given: undefined, want: undefined },
    { name: 'garbage', given: 'soon', want: undefined },
    { name: 'negative number', given: '-5', want: undefined },
  ])('$name', ({ given, want }) => {
    expect(parseRetryAfter(given, now)).toBe(want);
  });
});

describe('isRetryableStatus', () => {
  test.each([
    { name: '408', given: 408, want: true },
    { name: '429', given: 429, want: true },
    { name: '500', given: 500, want: true },
    { name: '502', given: 502, want: true },
    { name: '503', given: 503, want: true },
    { name: '504', given: 504, want: true },
    { name: '501 is permanent', given: 501, want: false },
    { name: '400', given: 400, want: false },
    { name: '401', given: 401, want: false },
    { name: '404', given: 404, want: false },
  ])('$name', ({ given, want }) => {
    expect(isRetryableStatus(given)).toBe(want);
  });
});

describe('isRetryableNetworkError', () => {
  const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  test.each([
    { name: 'ECONNRESET', given: coded('ECONNRESET'), want: true },
    { name: 'EPIPE', given: coded('EPIPE'), want: true },
    { name: 'ETIMEDOUT', given: coded('ETIMEDOUT'), want: true },
    { name: 'socket hang up', given: new Error('socket hang up'), want: true },
    { name: 'ECONNREFUSED is not transient', given: coded('ECONNREFUSED'), want: false },
    { name: 'a certificate error', given: coded('DEPTH_ZERO_SELF_SIGNED_CERT'), want: false },
    { name: 'not an error', given: 'ECONNRESET', want: false },
  ])('$name', ({ given, want }) => {
    expect(isRetryableNetworkError(given)).toBe(want);
  });
});

describe('backoffDelay', () => {
  const policy: RetryPolicy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 };
  test.each([
    { name: 'first retry, no jitter (random 0.5)', given: { retry: 1, random: 0.5 }, want: 100 },
    { name: 'doubles', given: { retry: 3, random: 0.5 }, want: 400 },
    { name: 'capped', given: { retry: 10, random: 0.5 }, want: 1000 },
    { name: 'jitter low end', given: { retry: 2, random: 0 }, want: 100 },
    { name: 'jitter high end', given: { retry: 2, random: 1 }, want: 300 },
  ])('$name', ({ given, want }) => {
    expect(backoffDelay(given.retry, policy, () => given.random)).toBe(want);
  });
});

class Transient extends Error {
  constructor(readonly hint: RetryHint) {
    super(hint.reason);
  }
}

interface RunCase {
  readonly name: string;
  readonly given: {
    readonly failures: readonly (RetryHint | 'fatal')[];
    readonly policy?: Partial<RetryPolicy>;
  };
  readonly want: {
    readonly result: 'ok' | 'error';
    readonly attempts: number;
    readonly sleeps: readonly number[];
  };
}

const runs: RunCase[] = [
  { name: 'succeeds at once', given: { failures: [] }, want: { result: 'ok', attempts: 1, sleeps: [] } },
  {
    name: 'backs off exponentially',
    given: { failures: [{ reason: '503' }, { reason: '503' }] },
    want: { result: 'ok', attempts: 3, sleeps: [500, 1000] },
  },
  {
    name: 'Retry-After wins over the backoff',
    given: { failures: [{ reason: '429', retryAfterMs: 2000 }] },
    want: { result: 'ok', attempts: 2, sleeps: [2000] },
  },
  {
    name: 'a fatal error is not retried',
    given: { failures: ['fatal'] },
    want: { result: 'error', attempts: 1, sleeps: [] },
  },
  {
    name: 'attempts are bounded',
    given: { failures: [{ reason: 'x' }, { reason: 'x' }, { reason: 'x' }], policy: { maxAttempts: 3 } },
    want: { result: 'error', attempts: 3, sleeps: [500, 1000] },
  },
  {
    name: 'total time is bounded',
    given: { failures: [{ reason: 'x' }, { reason: 'x' }, { reason: 'x' }], policy: { maxElapsedMs: 1200 } },
    want: { result: 'error', attempts: 2, sleeps: [500] },
  },
  {
    name: 'a Retry-After beyond the limit is not waited for',
    given: { failures: [{ reason: '429', retryAfterMs: 600_000 }] },
    want: { result: 'error', attempts: 1, sleeps: [] },
  },
];

describe('withRetry', () => {
  test.each(runs)('$name', async ({ given, want }) => {
    let t = 0;
    const sleeps: number[] = [];
    const logger = new MemoryLogger();
    let attempts = 0;
    const run = withRetry(
      {
        policy: { ...defaultRetryPolicy, ...(given.policy ?? {}) },
        timer: { nowMs: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)), random: () => 0.5 },
        logger,
        what: 'GET /v2/x',
        classify: (err) => (err instanceof Transient ? err.hint : undefined),
      },
      async () => {
        const f = given.failures[attempts++];
        if (f === 'fatal') throw new Error('fatal');
        if (f) throw new Transient(f);
        return 'ok';
      },
    );
    if (want.result === 'ok') await expect(run).resolves.toBe('ok');
    else await expect(run).rejects.toThrow();
    expect(attempts).toBe(want.attempts);
    expect(sleeps).toEqual(want.sleeps);
    expect(logger.lines.filter((l) => l.level === 'debug')).toHaveLength(want.sleeps.length);
    if (want.sleeps.length)
      expect(logger.text()).toMatch(/retrying GET \/v2\/x after \S+ \(attempt 2\/\d, waiting/);
  });
});
