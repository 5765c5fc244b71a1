/**
 * Go's path/filepath.Match: the rows of Go's own matchTests table (facts restated), plus BuildKit's wildcard
 * detection and splitting.
 */
import { BadPatternError, containsWildcards, matchGlob } from '../../src/context/go-glob.js';
import { splitWildcards } from '../../src/context/copy-walk.js';

type Want = boolean | 'bad-pattern';

const matchTable: { name: string; given: [string, string]; want: Want }[] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', 'bad-pattern'],
  ['[-]', '-', 'bad-pattern'],
  ['[x-]', 'x', 'bad-pattern'],
  ['[x-]', '-', 'bad-pattern'],
  ['[x-]', 'z', 'bad-pattern'],
  ['[-x]', 'x', 'bad-pattern'],
  ['[-x]', '-', 'bad-pattern'],
  ['[-x]', 'a', 'bad-pattern'],
  ['\\', 'a', 'bad-pattern'],
  ['[a-b-c]', 'a', 'bad-pattern'],
  ['[', 'a', 'bad-pattern'],
  ['[^', 'a', 'bad-pattern'],
  ['[^bc', 'a', 'bad-pattern'],
  ['a[', 'a', 'bad-pattern'],
  ['a[', 'ab', 'bad-pattern'],
  ['a[', 'x', 'bad-pattern'],
  ['a/b[', 'x', 'bad-pattern'],
  ['*x', 'xxx', true],
  ['*.go', 'dir/main.go', false],
  ['*/*.go', 'dir/main.go', true],
  ['**/*.go', 'dir/main.go', true],
  ['**/*.go', 'a/b/main.go', false],
].map(([pattern, name, want]) => ({
  name: `Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)})`,
  given: [pattern as string, name as string],
  want: want as Want,
}));

function run(pattern: string, name: string): Want {
  try {
    return matchGlob(pattern, name);
  } catch (err) {
    if (err instanceof BadPatternError) return 'bad-pattern';
    throw err;
  }
}

describe('matchGlob (Go filepath.Match)', () => {
  it.each(matchTable)('$name', ({ given, want }) => {
    expect(run(...given)).toBe(want);
  });
});

describe('containsWildcards', () => {
  it.each([
    { name: 'plain path', given: 'src/main.go', want: false },
    { name: 'star', given: '*.go', want: true },
    { name: 'question mark', given: 'a?c', want: true },
    { name: 'class', given: 'file[0-9]', want: true },
    { name: 'escaped star', given: 'a\\*b', want: false },
    { name: 'closing bracket alone', given: 'a]b', want: false },
  ])('$name', ({ given, want }) => {
    expect(containsWildcards(given)).toBe(want);
  });
});

describe('splitWildcards', () => {
  it.each([
    { name: 'no wildcard', given: 'a/b/c', want: { base: 'a/b/c', pattern: undefined } },
    { name: 'last element', given: 'src/*.go', want: { base: 'src', pattern: '*.go' } },
    { name: 'middle element keeps the rest', given: 'a/b*/c/d', want: { base: 'a', pattern: 'b*/c/d' } },
    { name: 'first element', given: '*.txt', want: { base: '', pattern: '*.txt' } },
    { name: 'the root', given: '', want: { base: '', pattern: undefined } },
  ])('$name', ({ given, want }) => {
    expect(splitWildcards(given)).toEqual(want);
  });
});
