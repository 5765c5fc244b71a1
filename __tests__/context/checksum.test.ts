/**
 * Selection checksums over real trees: stable under mtime/atime changes, sensitive to content, mode, owner,
 * link target and names, unambiguous where naive concatenation collides, and each file read once.
 */
import { chmodSync, lchownSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBuildContext } from '../../src/context/build-context.js';
import { checksumSelection } from '../../src/context/checksum.js';
import type { CopyItem } from '../../src/context/select-sources.js';
import { selectSources } from '../../src/context/select-sources.js';
import type { Digest } from '../../src/oci/digest.js';
import { makeTree, removeTree, tempDir, type TreeNode } from './tree.js';

const baseTree: TreeNode[] = [
  { path: 'app/main.sh', file: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { path: 'app/conf/app.ini', file: 'port=80\n' },
  { path: 'app/link', symlink: 'conf/app.ini' },
  { path: 'app/run', fifo: true },
  { path: 'top.txt', file: 'top' },
];

async function checksumOf(dir: string, sources: string[]): Promise<Digest> {
  const ctx = await openBuildContext({ dir });
  return checksumSelection(ctx, await selectSources(ctx, { sources }));
}

/** Builds the base tree, applies a change, and returns the checksum of `COPY app top.txt`. */
async function checksumAfter(change: (dir: string) => void): Promise<Digest> {
  const dir = tempDir();
  try {
    makeTree(dir, baseTree);
    change(dir);
    return await checksumOf(dir, ['app', 'top.txt']);
  } finally {
    removeTree(dir);
  }
}

describe('checksumSelection', () => {
  let base: Digest;
  beforeAll(async () => {
    base = await checksumAfter(() => undefined);
  });

  it('is a sha256 digest and the same for an identical tree', async () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await checksumAfter(() => undefined)).toBe(base);
  });

  it.each([
    {
      name: 'file mtime and atime',
      given: (d: string) => utimesSync(join(d, 'app/main.sh'), 12345, 67890),
    },
    { name: 'directory mtime', given: (d: string) => utimesSync(join(d, 'app/conf'), 1, 2) },
    { name: 'a file outside the selection', given: (d: string) => writeFileSync(join(d, 'other.txt'), 'x') },
  ])('ignores $name', async ({ given }) => {
    expect(await checksumAfter(given)).toBe(base);
  });

  it.each([
    {
      name: 'content of the same size',
      given: (d: string) => writeFileSync(join(d, 'app/conf/app.ini'), 'port=81\n'),
    },
    { name: 'mode', given: (d: string) => chmodSync(join(d, 'app/main.sh'), 0o750) },
    { name: 'a setuid bit', given: (d: string) => chmodSync(join(d, 'app/main.sh'), 0o4755) },
    { name: 'directory mode', given: (d: string) => chmodSync(join(d, 'app/conf'), 0o700) },
    { name: 'uid', given: (d: string) => lchownSync(join(d, 'app/conf/app.ini'), 1000, 0) },
    { name: 'gid', given: (d: string) => lchownSync(join(d, 'app/conf/app.ini'), 0, 1000) },
    {
      name: 'a symlink target',
      given: (d: string) => {
        rmSync(join(d, 'app/link'));
        symlinkSync('conf/other.ini', join(d, 'app/link'));
      },
    },
    {
      name: 'a rename inside a directory',
      given: (d: string) => renameSync(join(d, 'app/conf'), join(d, 'app/cfg')),
    },
    { name: 'a new empty directory', given: (d: string) => makeTree(d, [{ path: 'app/empty', dir: true }]) },
    { name: 'a new FIFO', given: (d: string) => makeTree(d, [{ path: 'app/fifo2', fifo: true }]) },
  ])('changes with $name', async ({ given }) => {
    expect(await checksumAfter(given)).not.toBe(base);
  });

  it('changes when a single source is renamed', async () => {
    const dir = tempDir();
    try {
      makeTree(dir, [{ path: 'one.txt', file: 'same' }]);
      const before = await checksumOf(dir, ['*.txt']);
      renameSync(join(dir, 'one.txt'), join(dir, 'two.txt'));
      expect(await checksumOf(dir, ['*.txt'])).not.toBe(before);
    } finally {
      removeTree(dir);
    }
  });

  it('reads each file once per context, however often it is checksummed', async () => {
    const dir = tempDir();
    try {
      makeTree(dir, [...baseTree, { path: 'app/hard', hardlink: 'top.txt' }]);
      const ctx = await openBuildContext({ dir });
      const selection = await selectSources(ctx, { sources: ['app', 'top.txt', 'top.txt'] });
      const first = await checksumSelection(ctx, selection);
      expect(await checksumSelection(ctx, selection)).toBe(first);
      expect(ctx.stats().contentReads).toBe(3); // main.sh, app.ini, and top.txt = app/hard
    } finally {
      removeTree(dir);
    }
  });
});

/** The encoding a careless implementation would hash: fields concatenated without lengths. */
function naiveSerialization(items: readonly CopyItem[]): string {
  const fields = (e: CopyItem & { kind: 'contents' }): string =>
    e.entries
      .map(({ entry, destPath }) =>
        [
          entry.type,
          entry.mode,
          entry.uid,
          entry.gid,
          destPath,
          entry.type === 'symlink' ? entry.linkTarget : '',
        ].join(''),
      )
      .join('');
  return items.map((i) => (i.kind === 'contents' ? fields(i) : i.name)).join('');
}

async function selectionOf(tree: TreeNode[]): Promise<{ naive: string; digest: Digest }> {
  const dir = tempDir();
  makeTree(dir, tree);
  const ctx = await openBuildContext({ dir });
  const selection = await selectSources(ctx, { sources: ['.'] });
  const digest = await checksumSelection(ctx, selection);
  removeTree(dir);
  return { naive: naiveSerialization(selection.items), digest };
}

describe('checksum framing', () => {
  it.each([
    {
      name: 'uid 1 gid 23 vs uid 12 gid 3',
      given: [
        [{ path: 'f', file: '', owner: [1, 23] }],
        [{ path: 'f', file: '', owner: [12, 3] }],
      ] as TreeNode[][],
    },
    {
      name: 'a symlink named a to bc vs one named ab to c',
      given: [
        [{ path: 'a', symlink: 'bc', owner: [0, 0] }],
        [{ path: 'ab', symlink: 'c', owner: [0, 0] }],
      ] as TreeNode[][],
    },
  ])('separates $name, which collide when concatenated', async ({ given }) => {
    const [left, right] = await Promise.all(given.map(selectionOf));
    expect(left?.naive).toBe(right?.naive);
    expect(left?.digest).not.toBe(right?.digest);
  });
});
