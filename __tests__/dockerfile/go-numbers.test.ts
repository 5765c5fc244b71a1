/** Go number parsing used by instruction options: durations, sizes, booleans, unsigned integers, quoting. */
import { goQuote, goQuoteList } from '../../src/dockerfile/go-quote.js';
import {
  parseGoBool,
  parseGoDuration,
  parseGoUint,
  parseRamInBytes,
} from '../../src/dockerfile/instructions/go-numbers.js';

describe('parseGoDuration (time.ParseDuration)', () => {
  test.each([
    { name: 'seconds', given: '30s', want: 30_000_000_000n },
    { name: 'compound', given: '1h2m3s', want: 3_723_000_000_000n },
    { name: 'fraction', given: '1.5s', want: 1_500_000_000n },
    { name: 'leading dot', given: '.5ms', want: 500_000n },
    { name: 'trailing dot', given: '2.m', want: 120_000_000_000n },
    { name: 'micro sign', given: '3µs', want: 3_000n },
    { name: 'greek mu', given: '3μs', want: 3_000n },
    { name: 'zero without unit', given: '0', want: 0n },
    { name: 'signed', given: '-1.5h', want: -5_400_000_000_000n },
    { name: 'plus', given: '+10ns', want: 10n },
    { name: 'largest', given: '2562047h47m16.854775807s', want: 9_223_372_036_854_775_807n },
  ])('$name: $given', ({ given, want }) => {
    expect(parseGoDuration(given)).toBe(want);
  });
  test.each([
    { name: 'empty', given: '', want: 'time: invalid duration ""' },
    { name: 'missing unit', given: '5', want: 'time: missing unit in duration "5"' },
    { name: 'unknown unit', given: '5d', want: 'time: unknown unit "d" in duration "5d"' },
    { name: 'only a dot', given: '.s', want: 'time: invalid duration ".s"' },
    { name: 'overflow', given: '2562048h', want: 'time: invalid duration "2562048h"' },
    { name: 'letters first', given: 's5', want: 'time: invalid duration "s5"' },
  ])('error $name', ({ given, want }) => {
    expect(parseGoDuration(given)).toBe(want);
  });
});

describe('parseRamInBytes (go-units)', () => {
  test.each([
    { given: '4096', want: 4096 },
    { given: '128m', want: 134_217_728 },
    { given: '1.5g', want: 1_610_612_736 },
    { given: '10 MiB', want: 10_485_760 },
    { given: '2KB', want: 2048 },
    { given: '7b', want: 7 },
    { given: '1e3', want: 1000 },
  ])('$given', ({ given, want }) => {
    expect(parseRamInBytes(given)).toBe(want);
  });
  test.each(['', 'lots', '-1m', '5x', '5mbb', '5kib2', '0x10'])('invalid %j', (given) => {
    expect(parseRamInBytes(given)).toBeUndefined();
  });
});

describe('parseGoBool and parseGoUint', () => {
  test.each([
    ['1', true],
    ['t', true],
    ['TRUE', true],
    ['True', true],
    ['0', false],
    ['F', false],
    ['False', false],
    ['yes', undefined],
    ['tRUE', undefined],
    ['', undefined],
  ] as const)('ParseBool(%j) = %j', (given, want) => {
    expect(parseGoBool(given)).toBe(want);
  });
  test.each([
    { given: '0755', base: 8, want: 0o755 },
    { given: '8', base: 8, want: undefined },
    { given: '4294967295', base: 10, want: 4294967295 },
    { given: '4294967296', base: 10, want: undefined },
    { given: '-1', base: 10, want: undefined },
    { given: '1_000', base: 10, want: undefined },
  ] as const)('ParseUint($given, $base)', ({ given, base, want }) => {
    expect(parseGoUint(given, base, 32)).toBe(want);
  });
});

describe('goQuote (strconv.Quote)', () => {
  test.each([
    { name: 'plain', given: 'abc', want: '"abc"' },
    { name: 'quote and backslash', given: 'a"b\\c', want: '"a\\"b\\\\c"' },
    { name: 'named controls', given: '\x07\b\f\n\r\t\v', want: '"\\a\\b\\f\\n\\r\\t\\v"' },
    { name: 'other controls and DEL', given: '\x00\x1b\x7f', want: '"\\x00\\x1b\\x7f"' },
    { name: 'printable unicode', given: 'é♥☃😀', want: '"é♥☃😀"' },
    { name: 'non-printable BMP', given: '\u00a0\u00ad\u2028\ufeff', want: '"\\u00a0\\u00ad\\u2028\\ufeff"' },
    { name: 'non-printable astral', given: '\u{e0001}', want: '"\\U000e0001"' },
    { name: 'invalid UTF-8 byte (surrogate escape)', given: 'a\udcffb', want: '"a\\xffb"' },
    { name: 'a lone surrogate prints as its three bytes', given: '\ud800', want: '"\\xed\\xa0\\x80"' },
  ])('$name', ({ given, want }) => {
    expect(goQuote(given)).toBe(want);
  });
  test('list', () => {
    expect(goQuoteList(['--a=1', 'b c'])).toBe('["--a=1" "b c"]');
  });
});
