/**
 * An independent check of the .dockerignore walk and directory-source selection: buildah builds
 * `FROM scratch` + `COPY . /ctx/` from the same context, and the files in its layer must be the ones our
 * selection copies. Each case is a .dockerignore over one fixture tree.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBuildContext } from '../../src/context/build-context.js';
import { findIgnoreFile } from '../../src/context/find-ignore-file.js';
import { selectSources } from '../../src/context/select-sources.js';
import { makeTree, removeTree, tempDir } from './tree.js';

const tree = [
  { path: 'keep.txt', file: 'k' },
  { path: 'build/out/app', file: 'a' },
  { path: 'build/out/app.map', file: 'm' },
  { path: 'build/tmp/junk', file: 'j' },
  { path: 'docs/a.md', file: 'a' },
  { path: 'docs/sub/b.md', file: 'b' },
  { path: 'docs/sub/c.txt', file: 'c' },
  { path: 'node_modules/p/i.js', file: 'x' },
  { path: 'src/tmp/t.go', file: 't' },
  { path: 'src/main.go', file: 'm' },
  { path: 'Dockerfile', file: 'FROM scratch\nCOPY . /ctx/\n' },
];

/**
 * `onlyUs`: paths BuildKit's fsutil walker sends that buildah 1.28 leaves out. fsutil walks into an excluded
 * directory when an exception has wildcards and re-includes matches (with their parents); buildah does not.
 */
const cases: { name: string; given: string; onlyUs: string[] }[] = [
  {
    name: 'prune and re-include',
    given: 'node_modules\nbuild\n!build/out/app\n**/*.md\n!docs/**/b.md\nDockerfile\n',
    onlyUs: [],
  },
  { name: 'everything but a few', given: '*\n!keep.txt\n!docs\ndocs/sub/c.txt\n', onlyUs: [] },
  { name: 'any-depth patterns', given: '**/tmp\ndocs/*.md\n.dockerignore\n', onlyUs: [] },
  {
    name: 'wildcard exception under an excluded directory (known buildah difference)',
    given: 'build\n!build/**/app.map\n',
    onlyUs: ['build', 'build/out', 'build/out/app.map'],
  },
];

/** Paths below /ctx in the single layer buildah wrote to an OCI layout. */
function buildahLayerPaths(context: string, store: string): string[] {
  const common = ['--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs'];
  execFileSync('buildah', [...common, 'bud', '-q', '-t', 'ctxcheck', context], { stdio: 'pipe' });
  execFileSync('buildah', [...common, 'push', '-q', 'ctxcheck', `oci:${join(store, 'oci')}:latest`], {
    stdio: 'pipe',
  });
  const blobs = join(store, 'oci', 'blobs', 'sha256');
  for (const blob of readdirSync(blobs)) {
    let listing: string;
    try {
      listing = execFileSync('tar', ['-tzf', join(blobs, blob)], { encoding: 'utf8', stdio: 'pipe' }).trim();
    } catch {
      continue; // the config and the manifest are JSON
    }
    return listing
      .split('\n')
      .filter((p) => p !== 'ctx/')
      .map((p) => p.replace(/^ctx\//, '').replace(/\/$/, ''))
      .sort();
  }
  throw new Error('no layer found');
}

describe('COPY . /ctx/ agrees with buildah', () => {
  it.each(cases)('$name', async ({ given, onlyUs }) => {
    const dir = tempDir();
    const store = tempDir('buildah-');
    try {
      makeTree(dir, tree);
      writeFileSync(join(dir, '.dockerignore'), given);
      const ignore = await findIgnoreFile({ contextDir: dir, dockerfile: join(dir, 'Dockerfile') });
      const ctx = await openBuildContext({ dir, ...(ignore ? { ignore: ignore.matcher } : {}) });
      const selection = await selectSources(ctx, { sources: ['.'] });
      const ours = selection.items.flatMap((i) =>
        i.kind === 'contents' ? i.entries.map((e) => e.destPath) : [],
      );
      expect(ours.filter((p) => !onlyUs.includes(p)).sort()).toEqual(buildahLayerPaths(dir, store));
      expect(ours).toEqual(expect.arrayContaining(onlyUs));
    } finally {
      removeTree(dir);
      removeTree(store);
    }
  });
});
