import { classifySaveError, classifySaveLines } from '../../src/action/gha-cache-errors.js';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('classifying @actions/cache save failures', () => {
  const logged = [
    {
      name: 'rate limit with Retry-After',
      given: [
        "::warning::You've hit a rate limit, your rate limit will reset in 42 seconds",
        'Failed to save: Unable to reserve cache with key k, another job may be creating this cache.',
      ],
      want: { kind: 'rate-limited', retryAfterSeconds: 42 },
    },
    {
      name: 'rate limit without Retry-After',
      given: ['::warning::Failed to save: Rate limited: Failed request: (429) Too Many Requests'],
      want: { kind: 'rate-limited' },
    },
    {
      name: 'write denied',
      given: [
        '::warning::Failed to save: Unable to reserve cache with key k. More details: cache write denied: read-only token',
      ],
      want: { kind: 'read-only', reason: "the workflow's cache token is read-only for this trigger" },
    },
    {
      name: 'cache mode forbids writes',
      given: ["Cache save skipped: the effective cache-mode 'read' does not permit writes."],
      want: { kind: 'read-only', reason: "the workflow's cache token is read-only for this trigger" },
    },
    {
      name: 'reservation race',
      given: ['Failed to save: Unable to reserve cache with key k, another job may be creating this cache.'],
      want: {
        kind: 'reserved-elsewhere',
        message: 'Unable to reserve cache with key k, another job may be creating this cache.',
      },
    },
    {
      name: 'storage quota',
      given: ['::warning::Failed to save: Cache storage quota has been hit. insufficient usage'],
      want: { kind: 'failed', message: "the repository's GitHub cache storage is full" },
    },
    {
      name: 'network',
      given: ['::warning::Failed to save: Unable to make request: ECONNRESET'],
      want: { kind: 'failed', message: 'Unable to make request: ECONNRESET' },
    },
    {
      name: 'server error logged as an error',
      given: ['::error::Failed to save: 503 Service Unavailable'],
      want: { kind: 'failed', message: '503 Service Unavailable' },
    },
    {
      name: 'nothing said',
      given: [],
      want: { kind: 'failed', message: 'the GitHub cache did not save the entry' },
    },
  ];
  it.each(logged)('a -1 result after: $name', ({ given, want }) =>
    expect(classifySaveLines(given)).toEqual(want),
  );

  const thrown = [
    {
      name: 'ValidationError',
      given: named('ValidationError', 'Key Validation Error: k,v cannot contain commas.'),
      want: {
        kind: 'failed',
        message: 'the GitHub cache refused the entry: Key Validation Error: k,v cannot contain commas.',
      },
    },
    {
      name: 'CacheWriteDeniedError',
      given: named('CacheWriteDeniedError', 'Unable to reserve cache. More details: cache write denied: x'),
      want: { kind: 'read-only', reason: "the workflow's cache token is read-only for this trigger" },
    },
    {
      name: 'ReserveCacheError',
      given: named('ReserveCacheError', 'Unable to reserve cache with key k'),
      want: { kind: 'reserved-elsewhere', message: 'Unable to reserve cache with key k' },
    },
    {
      name: 'RateLimitError',
      given: named('RateLimitError', 'Rate limited: Failed request: (429)'),
      want: { kind: 'rate-limited' },
    },
    {
      name: 'anything else',
      given: new Error('socket hang up'),
      want: { kind: 'failed', message: 'socket hang up' },
    },
  ];
  it.each(thrown)('a thrown $name', ({ given, want }) => expect(classifySaveError(given, [])).toEqual(want));
});
