/** Go text primitives: lossless UTF-8 (invalid bytes survive), unicode.IsSpace, ToLower/ToUpper, CSV values. */
import { csvFields, CsvError } from '../../src/dockerfile/csv-value.js';
import {
  decodeUtf8Lossless,
  encodeUtf8Lossless,
  goToLower,
  goToUpper,
  goTrimSpace,
  isGoSpace,
} from '../../src/dockerfile/go-text.js';

describe('lossless UTF-8', () => {
  test.each([
    { name: 'ASCII', given: [0x61, 0x62], want: 'ab' },
    {
      name: '2, 3 and 4 byte runes',
      given: [0xc3, 0xa9, 0xe2, 0x99, 0xa5, 0xf0, 0x9f, 0x98, 0x80],
      want: 'é♥😀',
    },
    { name: 'lone continuation byte', given: [0x80], want: '\udc80' },
    { name: 'overlong encoding is three bytes', given: [0xc0, 0x80], want: '\udcc0\udc80' },
    { name: 'UTF-8 encoded surrogate is invalid', given: [0xed, 0xa0, 0x80], want: '\udced\udca0\udc80' },
    { name: 'above U+10FFFF is invalid', given: [0xf4, 0x90, 0x80, 0x80], want: '\udcf4\udc90\udc80\udc80' },
    { name: 'truncated sequence', given: [0xe2, 0x99], want: '\udce2\udc99' },
  ])('$name', ({ given, want }) => {
    const bytes = Uint8Array.from(given);
    expect(decodeUtf8Lossless(bytes)).toBe(want);
    expect([...encodeUtf8Lossless(decodeUtf8Lossless(bytes))]).toEqual(given);
  });
  test('a lone surrogate that is not an escaped byte encodes as U+FFFD', () => {
    expect([...encodeUtf8Lossless('\ud800')]).toEqual([0xef, 0xbf, 0xbd]);
  });
});

describe('Go unicode helpers', () => {
  test.each([
    [0x20, true],
    [0x09, true],
    [0x0b, true],
    [0x85, true],
    [0xa0, true],
    [0x2003, true],
    [0x3000, true],
    [0x200b, false],
    [0xfeff, false],
    [0x41, false],
  ] as const)('isGoSpace(%i) = %s', (cp, want) => {
    expect(isGoSpace(cp)).toBe(want);
  });
  test.each([
    { fn: goToLower, given: 'RUN', want: 'run' },
    { fn: goToLower, given: 'ÉTÉ İ', want: 'été i' },
    { fn: goToUpper, given: 'copy', want: 'COPY' },
    { fn: goToUpper, given: 'straße', want: 'STRAßE' },
    { fn: goTrimSpace, given: '\u00a0 x \u3000', want: 'x' },
  ])('$fn.name($given)', ({ fn, given, want }) => {
    expect(fn(given)).toBe(want);
  });
});

describe('csvFields (go-csvvalue)', () => {
  test.each([
    { name: 'plain', given: 'a,b=c,,d', want: ['a', 'b=c', '', 'd'] },
    { name: 'quoted with comma and doubled quote', given: '"a,""b""",c', want: ['a,"b"', 'c'] },
    { name: 'quoted last field', given: 'x,"y"', want: ['x', 'y'] },
    { name: 'trailing newline allowed', given: 'a\n', want: ['a'] },
  ])('$name', ({ given, want }) => {
    expect(csvFields(given)).toEqual(want);
  });
  test.each([
    { name: 'empty', given: '', want: 'EOF' },
    {
      name: 'bare quote',
      given: 'ab"c',
      want: 'parse error on line 1, column 3: bare " in non-quoted-field',
    },
    {
      name: 'text after a closing quote',
      given: '"a"b',
      want: 'parse error on line 1, column 3: extraneous or missing " in quoted-field',
    },
    {
      name: 'unterminated quote',
      given: 'x,"ab',
      want: 'parse error on line 1, column 4: extraneous or missing " in quoted-field',
    },
  ])('error: $name', ({ given, want }) => {
    expect(() => csvFields(given)).toThrow(CsvError);
    expect(() => csvFields(given)).toThrow(want);
  });
});
