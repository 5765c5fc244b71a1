/**
 * COPY/ADD source selection over a real context, with BuildKit's semantics: wildcards per element (no `**`),
 * directory contents, symlinked sources followed inside the context, `--exclude` below each source, `--parents`
 * with the `/./` pivot, empty wildcards tolerated, missing/ignored/escaping sources as clear errors.
 */
import { BuildStepError, DockerfileError } from '../../src/errors.js';
import { openBuildContext, type BuildContext } from '../../src/context/build-context.js';
import { findIgnoreFile } from '../../src/context/find-ignore-file.js';
import { selectSources, type CopyItem, type SelectSourcesRequest } from '../../src/context/select-sources.js';
import { makeTree, removeTree, tempDir } from './tree.js';

let dir: string;
let ctx: BuildContext;

beforeAll(async () => {
  dir = tempDir();
  makeTree(dir, [
    { path: 'Dockerfile', file: 'FROM scratch\n' },
    { path: '.dockerignore', file: 'secret.txt\nignored-dir\n' },
    { path: 'a.txt', file: 'a' },
    { path: 'b.txt', file: 'b' },
    { path: 'c.md', file: 'c' },
    { path: 'secret.txt', file: 's' },
    { path: 'src/main.go', file: 'package main' },
    { path: 'src/util.go', file: 'package main // util' },
    { path: 'src/sub/x.go', file: 'package sub' },
    { path: 'src/README.md', file: 'readme' },
    { path: 'dir1/file-101.png', file: '2' },
    { path: 'dir1/file-102.txt', file: '3' },
    { path: 'dir2/file-201.pdf', file: '6' },
    { path: 'x/a.txt', file: 'xa' },
    { path: 'y/a.txt', file: 'ya' },
    { path: 'ignored-dir/keep.txt', file: 'k' },
    { path: 'hard1', file: 'h' },
    { path: 'hard2', hardlink: 'hard1' },
    { path: 'link-to-src', symlink: 'src' },
    { path: 'abs-link', symlink: '/src/main.go' },
    { path: 'escape-link', symlink: '../../../etc/passwd' },
    { path: 'dangling', symlink: 'nowhere' },
    { path: 'loop-a', symlink: 'loop-b' },
    { path: 'loop-b', symlink: 'loop-a' },
  ]);
  const ignore = await findIgnoreFile({ contextDir: dir });
  ctx = await openBuildContext({ dir, ...(ignore ? { ignore: ignore.matcher } : {}) });
});

afterAll(() => removeTree(dir));

/** A compact view of a selection: `single name <- path` or `contents dir: dest paths`. */
function summarize(items: readonly CopyItem[]): string[] {
  return items.map((item) =>
    item.kind === 'single'
      ? `single ${item.name} <- ${item.entry.path}`
      : `contents ${item.dir.path || '.'}: ${item.entries.map((e) => e.destPath + (e.hardlinkTo ? `=>${e.hardlinkTo}` : '')).join(' ')}`,
  );
}

const rootContents =
  'contents .: .dockerignore Dockerfile a.txt abs-link b.txt c.md dangling dir1 dir1/file-101.png dir1/file-102.txt ' +
  'dir2 dir2/file-201.pdf escape-link hard1 hard2=>hard1 link-to-src loop-a loop-b src src/README.md src/main.go ' +
  'src/sub src/sub/x.go src/util.go x x/a.txt y y/a.txt';

const selections: { name: string; given: SelectSourcesRequest; want: string[] }[] = [
  { name: 'one file', given: { sources: ['a.txt'] }, want: ['single a.txt <- a.txt'] },
  {
    name: 'a leading slash means the context root',
    given: { sources: ['/src/main.go'] },
    want: ['single main.go <- src/main.go'],
  },
  {
    name: 'a directory means its contents',
    given: { sources: ['src'] },
    want: ['contents src: README.md main.go sub sub/x.go util.go'],
  },
  {
    name: 'a trailing slash changes nothing',
    given: { sources: ['./src/'] },
    want: ['contents src: README.md main.go sub sub/x.go util.go'],
  },
  { name: 'the context root, without ignored files', given: { sources: ['.'] }, want: [rootContents] },
  {
    name: 'a wildcard',
    given: { sources: ['*.txt'] },
    want: ['single a.txt <- a.txt', 'single b.txt <- b.txt'],
  },
  { name: 'a class', given: { sources: ['[ac].*'] }, want: ['single a.txt <- a.txt', 'single c.md <- c.md'] },
  {
    name: 'a wildcard below a directory',
    given: { sources: ['src/*.go'] },
    want: ['single main.go <- src/main.go', 'single util.go <- src/util.go'],
  },
  {
    name: '** is not recursive for sources (it is two stars in one element)',
    given: { sources: ['src/**/*.go'] },
    want: ['single x.go <- src/sub/x.go'],
  },
  {
    name: 'a wildcard matching directories copies each one’s contents',
    given: { sources: ['dir*'] },
    want: ['contents dir1: file-101.png file-102.txt', 'contents dir2: file-201.pdf'],
  },
  {
    name: 'a symlinked directory source is followed',
    given: { sources: ['link-to-src'] },
    want: ['contents src: README.md main.go sub sub/x.go util.go'],
  },
  {
    name: 'a symlink in the middle of a source is followed',
    given: { sources: ['link-to-src/main.go'] },
    want: ['single main.go <- src/main.go'],
  },
  {
    name: 'an absolute symlink resolves from the context root and keeps its own name',
    given: { sources: ['abs-link'] },
    want: ['single abs-link <- src/main.go'],
  },
  {
    name: 'hard links are kept within one source',
    given: { sources: ['hard*'] },
    want: ['single hard1 <- hard1', 'single hard2 <- hard2'],
  },
  {
    name: '--exclude applies below a directory source',
    given: { sources: ['dir1', 'dir2'], exclude: ['*.png', '*.pdf'] },
    want: ['contents dir1: file-102.txt', 'contents dir2: '],
  },
  {
    name: '--exclude of a directory drops everything below it',
    given: { sources: ['src'], exclude: ['sub'] },
    want: ['contents src: README.md main.go util.go'],
  },
  {
    name: '--exclude with an exception brings the parent directory back',
    given: { sources: ['src'], exclude: ['sub', '!sub/x.go'] },
    want: ['contents src: README.md main.go sub sub/x.go util.go'],
  },
  {
    name: '--exclude does not apply to the wildcard matches themselves (fsutil)',
    given: { sources: ['*.txt'], exclude: ['*.txt'] },
    want: ['single a.txt <- a.txt', 'single b.txt <- b.txt'],
  },
  {
    name: '--parents keeps the path from the root',
    given: { sources: ['x/a.txt', 'y/a.txt'], parents: true },
    want: ['contents .: x x/a.txt', 'contents .: y y/a.txt'],
  },
  {
    name: '--parents with a /./ pivot keeps the path below it',
    given: { sources: ['src/./sub/x.go'], parents: true },
    want: ['contents src: sub sub/x.go'],
  },
  {
    name: '--parents with a wildcard',
    given: { sources: ['./src/*.go'], parents: true },
    want: ['contents .: src src/main.go src/util.go'],
  },
  {
    name: '--parents with ** in the pattern is recursive (patternmatcher)',
    given: { sources: ['src/**/*.go'], parents: true },
    want: ['contents .: src src/main.go src/sub src/sub/x.go src/util.go'],
  },
  {
    name: 'a wildcard matching nothing copies nothing',
    given: { sources: ['nomatch*', 'a.txt'] },
    want: ['single a.txt <- a.txt'],
  },
];

describe('selectSources', () => {
  it.each(selections)('$name', async ({ given, want }) => {
    expect(summarize((await selectSources(ctx, given)).items)).toEqual(want);
  });

  it('reports wildcards that matched nothing and multiple sources', async () => {
    const one = await selectSources(ctx, { sources: ['a.txt'] });
    const many = await selectSources(ctx, { sources: ['nomatch*', 'a.txt'] });
    expect(one).toMatchObject({ emptyWildcards: [], multipleSources: false });
    expect(many).toMatchObject({ emptyWildcards: ['nomatch*'], multipleSources: true });
    expect((await selectSources(ctx, { sources: ['*.md'] })).multipleSources).toBe(true);
  });
});

const location = { file: 'Dockerfile', line: 4 };

const failures: { name: string; given: SelectSourcesRequest; want: { type: unknown; message: RegExp } }[] = [
  {
    name: 'a missing file',
    given: { sources: ['missing.txt'] },
    want: {
      type: BuildStepError,
      message: /^Dockerfile:4: COPY source "missing.txt" not found in the build context/,
    },
  },
  {
    name: 'a file excluded by .dockerignore',
    given: { sources: ['secret.txt'] },
    want: { type: BuildStepError, message: /COPY source "secret.txt" is excluded by .dockerignore/ },
  },
  {
    name: 'a file inside an ignored directory',
    given: { sources: ['ignored-dir/keep.txt'], instruction: 'ADD' },
    want: {
      type: BuildStepError,
      message: /ADD source "ignored-dir\/keep.txt" is excluded by .dockerignore/,
    },
  },
  {
    name: 'a source climbing out with ..',
    given: { sources: ['../etc/passwd'] },
    want: {
      type: DockerfileError,
      message: /^Dockerfile:4: COPY source "..\/etc\/passwd" is outside the build context/,
    },
  },
  {
    name: 'a source climbing out after a directory',
    given: { sources: ['src/../../a.txt'] },
    want: { type: DockerfileError, message: /is outside the build context/ },
  },
  {
    name: 'a rooted source climbing out',
    given: { sources: ['/../a.txt'] },
    want: { type: DockerfileError, message: /is outside the build context/ },
  },
  {
    name: 'a symlink pointing out of the context',
    given: { sources: ['escape-link'] },
    want: {
      type: BuildStepError,
      message: /the symlink "escape-link" points to "etc\/passwd", which is not in the build context/,
    },
  },
  {
    name: 'a dangling symlink',
    given: { sources: ['dangling'] },
    want: { type: BuildStepError, message: /the symlink "dangling" points to "nowhere"/ },
  },
  {
    name: 'a symlink loop',
    given: { sources: ['loop-a'] },
    want: { type: BuildStepError, message: /too many levels of symbolic links/ },
  },
  {
    name: 'a wildcard below a missing directory',
    given: { sources: ['missing/*.txt'] },
    want: { type: BuildStepError, message: /COPY source "missing\/\*.txt": directory "missing" not found/ },
  },
  {
    name: 'a --parents source that does not exist',
    given: { sources: ['x/missing.txt'], parents: true },
    want: { type: BuildStepError, message: /COPY source "x\/missing.txt" not found/ },
  },
  {
    name: 'a malformed --exclude pattern',
    given: { sources: ['src'], exclude: ['[oops'] },
    want: { type: DockerfileError, message: /^Dockerfile:4: invalid --exclude pattern "\[oops"/ },
  },
];

describe('selectSources errors', () => {
  it.each(failures)('$name', async ({ given, want }) => {
    const err = await selectSources(ctx, { ...given, location }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(want.type);
    expect((err as BuildStepError).userMessage()).toMatch(want.message);
  });
});
