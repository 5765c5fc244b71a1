/**
 * Include/exclude filtering of a copied directory: the rows of fsutil's TestCopyIncludeExclude (facts restated),
 * over the same tree, through collectContents.
 */
import { openBuildContext, type BuildContext } from '../../src/context/build-context.js';
import type { DirEntry } from '../../src/context/context-entry.js';
import { collectContents } from '../../src/context/copy-walk.js';
import { PatternMatcher } from '../../src/context/dockerignore.js';
import { makeTree, removeTree, tempDir } from './tree.js';

let dir: string;
let ctx: BuildContext;

beforeAll(async () => {
  dir = tempDir();
  makeTree(dir, [
    { path: 'bar', dir: true },
    { path: 'bar/foo', file: 'foo-contents' },
    { path: 'bar/baz', dir: true },
    { path: 'bar/baz/foo3', file: 'foo3-contents' },
    { path: 'foo2', file: 'foo2-contents' },
  ]);
  ctx = await openBuildContext({ dir });
});

afterAll(() => removeTree(dir));

const order = ['bar', 'bar/foo', 'bar/baz', 'bar/baz/foo3', 'foo2'];

const rows: { name: string; given: { include?: string[]; exclude?: string[] }; want: string[] }[] = [
  { name: 'include bar', given: { include: ['bar'] }, want: ['bar', 'bar/foo', 'bar/baz', 'bar/baz/foo3'] },
  { name: 'include *', given: { include: ['*'] }, want: order },
  { name: 'include bar/foo', given: { include: ['bar/foo'] }, want: ['bar', 'bar/foo'] },
  {
    name: 'include bar except bar/foo',
    given: { include: ['bar', '!bar/foo'] },
    want: ['bar', 'bar/baz', 'bar/baz/foo3'],
  },
  {
    name: 'include bar/foo and foo*',
    given: { include: ['bar/foo', 'foo*'] },
    want: ['bar', 'bar/foo', 'foo2'],
  },
  { name: 'include b*', given: { include: ['b*'] }, want: ['bar', 'bar/foo', 'bar/baz', 'bar/baz/foo3'] },
  { name: 'include bar/f*', given: { include: ['bar/f*'] }, want: ['bar', 'bar/foo'] },
  { name: 'include bar/g*', given: { include: ['bar/g*'] }, want: [] },
  { name: 'include b*/f*', given: { include: ['b*/f*'] }, want: ['bar', 'bar/foo'] },
  { name: 'include b*/foo', given: { include: ['b*/foo'] }, want: ['bar', 'bar/foo'] },
  { name: 'include b*/', given: { include: ['b*/'] }, want: ['bar', 'bar/foo', 'bar/baz', 'bar/baz/foo3'] },
  {
    name: 'include bar/*/foo3',
    given: { include: ['bar/*/foo3'] },
    want: ['bar', 'bar/baz', 'bar/baz/foo3'],
  },
  {
    name: 'exclude bar*, !bar/baz',
    given: { exclude: ['bar*', '!bar/baz'] },
    want: ['bar', 'bar/baz', 'bar/baz/foo3', 'foo2'],
  },
  {
    name: 'exclude **, !bar/baz',
    given: { exclude: ['**', '!bar/baz'] },
    want: ['bar', 'bar/baz', 'bar/baz/foo3'],
  },
  {
    name: 'exclude **, !bar/baz, bar/baz/foo3',
    given: { exclude: ['**', '!bar/baz', 'bar/baz/foo3'] },
    want: ['bar', 'bar/baz'],
  },
  {
    name: 'include bar, exclude bar/baz',
    given: { include: ['bar'], exclude: ['bar/baz'] },
    want: ['bar', 'bar/foo'],
  },
  { name: 'doublestar include', given: { include: ['**/foo3'] }, want: ['bar', 'bar/baz', 'bar/baz/foo3'] },
  {
    name: 'doublestar matching second item in path',
    given: { include: ['**/baz'] },
    want: ['bar', 'bar/baz', 'bar/baz/foo3'],
  },
  { name: 'doublestar matching first item in path', given: { include: ['**/bar'] }, want: order.slice(0, 4) },
  {
    name: 'doublestar exclude',
    given: { include: ['bar'], exclude: ['**/foo3'] },
    want: ['bar', 'bar/foo', 'bar/baz'],
  },
  { name: 'exclude bar/baz', given: { exclude: ['bar/baz'] }, want: ['bar', 'bar/foo', 'foo2'] },
];

function matcher(patterns: string[] | undefined, flag: string): PatternMatcher | undefined {
  return patterns && PatternMatcher.compile(patterns, { kind: 'flag', flag });
}

describe('collectContents (fsutil TestCopyIncludeExclude)', () => {
  it.each(rows)('$name', ({ given, want }) => {
    const entries = collectContents(
      ctx,
      ctx.entry('') as DirEntry,
      matcher(given.include, '--parents'),
      matcher(given.exclude, '--exclude'),
    );
    const got = entries.map((e) => e.destPath);
    expect(got.slice().sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(want);
    for (const [i, path] of got.entries()) {
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : undefined;
      if (parent !== undefined) expect(got.indexOf(parent)).toBeLessThan(i);
    }
  });
});
