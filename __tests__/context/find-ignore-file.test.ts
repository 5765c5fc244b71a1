/**
 * Which ignore file a build uses, BuildKit's lookup (frontend/dockerui): `<Dockerfile>.dockerignore` next to the
 * Dockerfile wins (even when empty), else `<context>/.dockerignore` resolved inside the context.
 */
import { join } from 'node:path';
import { DockerfileError } from '../../src/errors.js';
import { findIgnoreFile } from '../../src/context/find-ignore-file.js';
import { makeTree, removeTree, tempDir, type TreeNode } from './tree.js';

interface Case {
  readonly name: string;
  readonly given: { readonly tree: TreeNode[]; readonly dockerfile?: string };
  readonly want: { readonly name: string; readonly source: string; readonly patterns: string[] } | undefined;
}

const cases: Case[] = [
  {
    name: 'no ignore file at all',
    given: { tree: [{ path: 'ctx/Dockerfile', file: '' }], dockerfile: 'ctx/Dockerfile' },
    want: undefined,
  },
  {
    name: 'the context .dockerignore',
    given: {
      tree: [
        { path: 'ctx/Dockerfile', file: '' },
        { path: 'ctx/.dockerignore', file: '# c\nnode_modules\n!keep\n' },
      ],
      dockerfile: 'ctx/Dockerfile',
    },
    want: { name: '.dockerignore', source: 'context', patterns: ['node_modules', '!keep'] },
  },
  {
    name: 'Dockerfile.dockerignore beats .dockerignore',
    given: {
      tree: [
        { path: 'ctx/Dockerfile', file: '' },
        { path: 'ctx/Dockerfile.dockerignore', file: 'only-this\n' },
        { path: 'ctx/.dockerignore', file: 'not-this\n' },
      ],
      dockerfile: 'ctx/Dockerfile',
    },
    want: { name: 'Dockerfile.dockerignore', source: 'dockerfile', patterns: ['only-this'] },
  },
  {
    name: 'an empty Dockerfile-specific file still wins',
    given: {
      tree: [
        { path: 'ctx/Dockerfile', file: '' },
        { path: 'ctx/Dockerfile.dockerignore', file: '' },
        { path: 'ctx/.dockerignore', file: 'not-this\n' },
      ],
      dockerfile: 'ctx/Dockerfile',
    },
    want: { name: 'Dockerfile.dockerignore', source: 'dockerfile', patterns: [] },
  },
  {
    name: '-f path/to/app.Dockerfile looks next to that file, not in the context',
    given: {
      tree: [
        { path: 'path/to/app.Dockerfile', file: '' },
        { path: 'path/to/app.Dockerfile.dockerignore', file: 'from-dockerfile-dir\n' },
        { path: 'ctx/app.Dockerfile.dockerignore', file: 'wrong-place\n' },
        { path: 'ctx/.dockerignore', file: 'context\n' },
      ],
      dockerfile: 'path/to/app.Dockerfile',
    },
    want: { name: 'app.Dockerfile.dockerignore', source: 'dockerfile', patterns: ['from-dockerfile-dir'] },
  },
  {
    name: 'a Dockerfile-specific file in the context root does not apply to another Dockerfile path',
    given: {
      tree: [
        { path: 'path/to/app.Dockerfile', file: '' },
        { path: 'ctx/app.Dockerfile.dockerignore', file: 'wrong-place\n' },
        { path: 'ctx/.dockerignore', file: 'context\n' },
      ],
      dockerfile: 'path/to/app.Dockerfile',
    },
    want: { name: '.dockerignore', source: 'context', patterns: ['context'] },
  },
  {
    name: 'a Dockerfile from stdin uses .dockerignore',
    given: { tree: [{ path: 'ctx/.dockerignore', file: 'x\n' }] },
    want: { name: '.dockerignore', source: 'context', patterns: ['x'] },
  },
  {
    name: 'a directory named .dockerignore is no ignore file',
    given: { tree: [{ path: 'ctx/.dockerignore', dir: true }] },
    want: undefined,
  },
  {
    name: 'a symlinked .dockerignore is followed inside the context',
    given: {
      tree: [
        { path: 'ctx/ignore/rules', file: 'from-link\n' },
        { path: 'ctx/.dockerignore', symlink: 'ignore/rules' },
      ],
    },
    want: { name: '.dockerignore', source: 'context', patterns: ['from-link'] },
  },
  {
    name: 'an absolute .dockerignore symlink is resolved from the context root',
    given: {
      tree: [
        { path: 'ctx/ignore/rules', file: 'rerooted\n' },
        { path: 'outside/ignore/rules', file: 'escaped\n' },
        { path: 'ctx/.dockerignore', symlink: '/ignore/rules' },
      ],
    },
    want: { name: '.dockerignore', source: 'context', patterns: ['rerooted'] },
  },
];

describe('findIgnoreFile', () => {
  it.each(cases)('$name', async ({ given, want }) => {
    const dir = tempDir();
    try {
      makeTree(dir, given.tree);
      const found = await findIgnoreFile({
        contextDir: join(dir, 'ctx'),
        ...(given.dockerfile ? { dockerfile: join(dir, given.dockerfile) } : {}),
      });
      expect(
        found && { name: found.name, source: found.source, patterns: found.patterns.map((p) => p.pattern) },
      ).toEqual(want);
      if (found) expect(found.matcher.patterns).toHaveLength(want?.patterns.length ?? -1);
    } finally {
      removeTree(dir);
    }
  });

  it('reports a bad pattern with the file name and line', async () => {
    const dir = tempDir();
    try {
      makeTree(dir, [
        { path: 'ctx/api.Dockerfile', file: '' },
        { path: 'ctx/api.Dockerfile.dockerignore', file: 'ok\n\n[broken\n' },
      ]);
      const err = await findIgnoreFile({
        contextDir: join(dir, 'ctx'),
        dockerfile: join(dir, 'ctx/api.Dockerfile'),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DockerfileError);
      expect((err as DockerfileError).userMessage()).toMatch(
        /^api\.Dockerfile\.dockerignore:3: invalid pattern "\[broken" in api\.Dockerfile\.dockerignore/,
      );
    } finally {
      removeTree(dir);
    }
  });
});
