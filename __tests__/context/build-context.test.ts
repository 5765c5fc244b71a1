/**
 * The context walk over real trees: metadata straight from lstat (checked against GNU find), Go's walk order,
 * symlinks never followed, hard links, special bits, .dockerignore pruning and re-inclusion, sockets skipped,
 * reads that refuse to leave the context, and every entry stat'ed / read once.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { BuildStepError, InputError, InternalError } from '../../src/errors.js';
import { openBuildContext, type BuildContext } from '../../src/context/build-context.js';
import { PatternMatcher, readIgnorePatterns } from '../../src/context/dockerignore.js';
import type { ContextEntry, FileEntry } from '../../src/context/context-entry.js';
import { compareGoStrings } from '../../src/context/go-path.js';
import { sha256 } from '../../src/oci/digest.js';
import { makeSocket, makeTree, removeTree, tempDir, type TreeNode } from './tree.js';

const nodes: TreeNode[] = [
  { path: 'Dockerfile', file: 'FROM scratch\n' },
  { path: 'a.txt', file: 'alpha' },
  { path: 'a', dir: true },
  { path: 'a/b', file: 'bee' },
  { path: 'with space.txt', file: 'space' },
  { path: '-leading-dash', file: 'dash' },
  { path: '[bracket]', file: 'bracket' },
  { path: 'café', file: 'unicode' },
  { path: '😀', file: 'astral' },
  { path: '～', file: 'fullwidth tilde (U+FF5E sorts before U+1F600 in UTF-8)' },
  { path: 'suid', file: '#!/bin/sh\n', mode: 0o4755 },
  { path: 'sgid-dir', dir: true, mode: 0o2755 },
  { path: 'sticky', dir: true, mode: 0o1777 },
  { path: 'owned', file: 'owned', owner: [1234, 5678] },
  { path: 'hard-1', file: 'same inode' },
  { path: 'hard-2', hardlink: 'hard-1' },
  { path: 'link-dangling', symlink: 'nowhere' },
  { path: 'link-abs', symlink: '/etc/passwd' },
  { path: 'link-escape', symlink: '../../../etc/passwd' },
  { path: 'link-dir', symlink: 'a' },
  { path: 'fifo', fifo: true },
  { path: 'null-device', charDevice: [1, 3] },
];

let root: string;
let socket: Server;

beforeAll(async () => {
  root = tempDir();
  makeTree(root, nodes);
  socket = await makeSocket(join(root, 'sock'));
});

afterAll(() => {
  socket.close();
  removeTree(root);
});

/** GNU find's view of the tree: path, type, permission bits, uid, gid, size (files), link target. */
function findListing(dir: string): string[] {
  const out = execFileSync(
    'find',
    ['.', '-mindepth', '1', '-printf', '%P\\0%y\\0%m\\0%U\\0%G\\0%s\\0%l\\0\\n'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => line.split('\0'))
    .filter(([, type]) => type !== 's')
    .map(([path, type, mode, uid, gid, size, link]) =>
      [path, type, mode, uid, gid, type === 'f' ? size : '-', link].join(' '),
    )
    .sort(compareGoStrings);
}

const findType: Record<ContextEntry['type'], string> = {
  file: 'f',
  dir: 'd',
  symlink: 'l',
  'char-device': 'c',
  'block-device': 'b',
  fifo: 'p',
};

function describeEntry(e: ContextEntry): string {
  const size = e.type === 'file' ? String(e.size) : '-';
  const link = e.type === 'symlink' ? e.linkTarget : '';
  return [e.path, findType[e.type], e.mode.toString(8), e.uid, e.gid, size, link].join(' ');
}

describe('openBuildContext without .dockerignore', () => {
  let ctx: BuildContext;
  beforeAll(async () => {
    ctx = await openBuildContext({ dir: root });
  });

  it('lists exactly what GNU find lists (minus the socket), with the same metadata', () => {
    expect(ctx.entries).toHaveLength(nodes.length);
    expect(ctx.entries.map(describeEntry).sort(compareGoStrings)).toEqual(findListing(root));
  });

  it('walks depth-first in Go byte order, a directory before its children', () => {
    const top = ctx.children('').map((e) => e.path);
    expect(top).toEqual([...top].sort(compareGoStrings));
    expect(top.indexOf('～')).toBeLessThan(top.indexOf('😀'));
    const paths = ctx.entries.map((e) => e.path);
    expect(paths.indexOf('a')).toBe(paths.indexOf('a/b') - 1);
    expect(paths.indexOf('a/b')).toBeLessThan(paths.indexOf('a.txt'));
  });

  it('never follows symlinks', () => {
    expect(ctx.entry('link-dir')).toMatchObject({ type: 'symlink', linkTarget: 'a' });
    expect(ctx.children('link-dir')).toEqual([]);
    expect(ctx.entry('link-abs')).toMatchObject({ type: 'symlink', linkTarget: '/etc/passwd' });
    expect(ctx.entry('link-dangling')).toMatchObject({ type: 'symlink', linkTarget: 'nowhere' });
  });

  it('keeps special bits, owners, devices and FIFOs, and skips sockets', () => {
    expect(ctx.entry('suid')?.mode).toBe(0o4755);
    expect(ctx.entry('sgid-dir')?.mode).toBe(0o2755);
    expect(ctx.entry('sticky')?.mode).toBe(0o1777);
    expect(ctx.entry('owned')).toMatchObject({ uid: 1234, gid: 5678 });
    expect(ctx.entry('null-device')).toMatchObject({ type: 'char-device', devMajor: 1, devMinor: 3 });
    expect(ctx.entry('fifo')?.type).toBe('fifo');
    expect(ctx.entry('sock')).toBeUndefined();
  });

  it('marks the second path of an inode as a hard link to the first', () => {
    expect(ctx.entry('hard-1')).toMatchObject({ type: 'file', hardlinkOf: undefined, nlink: 2 });
    expect(ctx.entry('hard-2')).toMatchObject({ type: 'file', hardlinkOf: 'hard-1', nlink: 2 });
  });

  it('stats every entry once and reads nothing while walking', () => {
    const stats = ctx.stats();
    expect(stats.lstat).toBe(ctx.entries.length + 2); // every entry, the socket and the root
    expect(stats.contentReads).toBe(0);
  });
});

describe('BuildContext reads', () => {
  let ctx: BuildContext;
  beforeAll(async () => {
    const ignore = PatternMatcher.compile(readIgnorePatterns('Dockerfile\n'), {
      kind: 'ignore-file',
      file: '.dockerignore',
    });
    ctx = await openBuildContext({ dir: root, ignore });
  });

  it.each([
    { name: 'a plain file', given: 'a.txt', want: 'alpha' },
    { name: 'an ignored Dockerfile', given: 'Dockerfile', want: 'FROM scratch\n' },
    { name: 'through a symlink to a directory inside', given: 'link-dir/b', want: 'bee' },
    { name: 'a path with .. that stays inside', given: 'a/../a.txt', want: 'alpha' },
  ])('reads $name', async ({ given, want }) => {
    expect((await ctx.readFile(given)).toString()).toBe(want);
  });

  it.each([
    { name: 'a path above the root', given: '../etc/passwd', want: /outside the build context/ },
    { name: 'an absolute path', given: '/etc/passwd', want: /outside the build context/ },
    { name: 'an absolute symlink', given: 'link-abs', want: /through the symlink "link-abs"/ },
    { name: 'a symlink climbing out', given: 'link-escape', want: /through the symlink "link-escape"/ },
    { name: 'a dangling symlink', given: 'link-dangling', want: /does not exist/ },
    { name: 'a directory', given: 'a', want: /is a dir, not a regular file/ },
    { name: 'a FIFO (never opened)', given: 'fifo', want: /is a fifo/ },
  ])('refuses $name', async ({ given, want }) => {
    const err = await ctx.readFile(given).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BuildStepError);
    expect((err as BuildStepError).userMessage()).toMatch(want);
  });

  it('reads and hashes a file once, across hard links and streams', async () => {
    const hard1 = ctx.entry('hard-1') as FileEntry;
    const hard2 = ctx.entry('hard-2') as FileEntry;
    const before = ctx.stats().contentReads;
    const d1 = await ctx.contentDigest(hard1);
    const d2 = await ctx.contentDigest(hard2);
    await ctx.readFile('hard-2');
    const streamed: Buffer[] = [];
    for await (const chunk of await ctx.openFile(hard1)) streamed.push(chunk as Buffer);
    expect(d2).toBe(d1);
    expect(Buffer.concat(streamed).toString()).toBe('same inode');
    expect(ctx.stats().contentReads - before).toBe(1);
  });
});

describe('content cache', () => {
  const big = Buffer.alloc(2 * 1024 * 1024 + 3, 7);
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    makeTree(dir, [
      { path: 'big.bin', file: big },
      { path: 'small.txt', file: 'small' },
    ]);
  });
  afterAll(() => removeTree(dir));

  it.each([
    { name: 'a small file is kept in memory', given: { path: 'small.txt', cacheBytes: undefined }, want: 1 },
    {
      name: 'a small file is read again without a budget',
      given: { path: 'small.txt', cacheBytes: 0 },
      want: 3,
    },
    { name: 'a file over 1 MiB is never kept', given: { path: 'big.bin', cacheBytes: undefined }, want: 3 },
  ])('$name', async ({ given, want }) => {
    const ctx = await openBuildContext({
      dir,
      ...(given.cacheBytes === undefined ? {} : { contentCacheBytes: given.cacheBytes }),
    });
    const file = ctx.entry(given.path) as FileEntry;
    const digest = await ctx.contentDigest(file);
    const first = await ctx.readFile(file);
    const second = await ctx.readFile(given.path);
    expect(digest).toBe(sha256(first));
    expect(second.equals(first)).toBe(true);
    expect(ctx.stats().contentReads).toBe(want);
  });

  it('hashes a big file by streaming it', async () => {
    const ctx = await openBuildContext({ dir });
    expect(await ctx.contentDigest(ctx.entry('big.bin') as FileEntry)).toBe(sha256(big));
    expect(ctx.stats()).toMatchObject({ contentReads: 1, bytesRead: big.length });
  });
});

describe('openBuildContext with .dockerignore', () => {
  const ignoreTree: TreeNode[] = [
    { path: 'keep.txt', file: 'k' },
    { path: 'node_modules/pkg/index.js', file: 'x' },
    { path: 'build/out/app', file: 'bin' },
    { path: 'build/out/app.map', file: 'map' },
    { path: 'build/tmp/junk', file: 'j' },
    { path: 'docs/a.md', file: 'a' },
    { path: 'docs/sub/b.md', file: 'b' },
    { path: '.git/HEAD', file: 'ref: refs/heads/main\n' },
  ];
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    makeTree(dir, ignoreTree);
    utimesSync(join(dir, 'build'), 1000, 1000);
  });
  afterAll(() => removeTree(dir));

  async function open(lines: string): Promise<BuildContext> {
    const ignore = PatternMatcher.compile(readIgnorePatterns(lines), {
      kind: 'ignore-file',
      file: '.dockerignore',
    });
    return openBuildContext({ dir, ignore });
  }

  it('prunes excluded directories without reading them', async () => {
    const ctx = await open('node_modules\nbuild\n');
    expect(ctx.entries.map((e) => e.path)).toEqual([
      '.git',
      '.git/HEAD',
      'docs',
      'docs/a.md',
      'docs/sub',
      'docs/sub/b.md',
      'keep.txt',
    ]);
    expect(ctx.stats().readdir).toBe(4); // root, .git, docs, docs/sub
  });

  it('re-includes below an excluded directory and brings its parents with their metadata', async () => {
    const ctx = await open('build\n!build/out/app\n');
    expect(ctx.entries.map((e) => e.path).filter((p) => p.startsWith('build'))).toEqual([
      'build',
      'build/out',
      'build/out/app',
    ]);
    expect(ctx.entry('build')?.mtimeNs).toBe(1000n * 1_000_000_000n);
    // root, .git, build, build/out, docs, docs/sub, node_modules, node_modules/pkg; build/tmp is pruned
    expect(ctx.stats().readdir).toBe(8);
  });

  it('prunes by prefix when exceptions are literal paths', async () => {
    const ctx = await open('build\n!build/out\n');
    expect(ctx.entries.map((e) => e.path).filter((p) => p.startsWith('build'))).toEqual([
      'build',
      'build/out',
      'build/out/app',
      'build/out/app.map',
    ]);
    expect(ctx.isIgnored('build/tmp/junk')).toBe(true);
  });

  it('walks everything when an exception has wildcards', async () => {
    const ctx = await open('**/*.md\n!docs/**/b.md\n');
    expect(ctx.entries.map((e) => e.path).filter((p) => p.endsWith('.md'))).toEqual(['docs/sub/b.md']);
  });

  it('keeps .git like BuildKit does for a local context unless it is ignored', async () => {
    expect((await open('keep.txt\n')).entry('.git/HEAD')?.type).toBe('file');
    expect((await open('.git\n')).entry('.git')).toBeUndefined();
  });
});

describe('context errors', () => {
  it('rejects a missing context directory with an InputError', async () => {
    const err = await openBuildContext({ dir: '/nonexistent/ctx' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).userMessage()).toMatch(/input 'context': build context "\/nonexistent\/ctx"/);
  });

  it('rejects a file given as the context', async () => {
    const err = await openBuildContext({ dir: join(root, 'a.txt') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
  });

  it('notices a file that changed size after the walk, read whole or streamed', async () => {
    const dir = tempDir();
    makeTree(dir, [{ path: 'grows', file: 'abc' }]);
    const ctx = await openBuildContext({ dir });
    appendFileSync(join(dir, 'grows'), 'more');
    const grows = ctx.entry('grows') as FileEntry;
    const whole = await ctx.contentDigest(grows).catch((e: unknown) => e);
    const streamed = await (async () => {
      for await (const chunk of await ctx.openFile(grows)) void chunk;
    })().catch((e: unknown) => e);
    for (const err of [whole, streamed]) {
      expect((err as BuildStepError).userMessage()).toMatch(
        /"grows" changed while the build was reading the context/,
      );
    }
    removeTree(dir);
  });

  it('refuses an entry from another context', async () => {
    const other = await openBuildContext({ dir: root });
    const mine = await openBuildContext({ dir: root });
    await expect(mine.readFile(other.entry('a.txt') as FileEntry)).rejects.toThrow(InternalError);
  });
});
