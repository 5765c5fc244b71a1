import { parseByteSize } from '../../src/cache/index.js';
import { InputError } from '../../src/errors.js';

const good: { name: string; given: string; want: number }[] = [
  { name: 'plain bytes', given: '1073741824', want: 1073741824 },
  { name: 'm', given: '512m', want: 512 * 1024 ** 2 },
  { name: 'GB, upper case', given: '2GB', want: 2 * 1024 ** 3 },
  { name: 'fraction with a space and GiB', given: '1.5 GiB', want: 1.5 * 1024 ** 3 },
  { name: 'kib', given: '2048KiB', want: 2 * 1024 ** 2 },
];
const bad: { name: string; given: string; want: RegExp }[] = [
  {
    name: 'not a number',
    given: 'lots',
    want: /input 'cache-budget': "lots" is not a size — write bytes or a number with a unit/,
  },
  { name: 'unknown unit', given: '5 parsecs', want: /"5 parsecs" is not a size/ },
  { name: 'negative', given: '-1g', want: /"-1g" is not a size/ },
  { name: 'below one MiB', given: '100k', want: /"100k" is too small for a cache — use at least 1m/ },
];

describe('parseByteSize', () => {
  it.each(good)('$name: $given', ({ given, want }) =>
    expect(parseByteSize('cache-budget', given)).toBe(want),
  );
  it.each(bad)('$name: $given is an InputError', ({ given, want }) => {
    let err: unknown;
    try {
      parseByteSize('cache-budget', given);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).userMessage()).toMatch(want);
  });
});
