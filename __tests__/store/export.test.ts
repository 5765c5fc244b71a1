import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Digest } from '../../src/oci/digest.js';
import { loadImage, PlatformNotFoundError } from '../../src/oci/image.js';
import { writeIndex } from '../../src/oci/image-draft.js';
import type { ImageIndex } from '../../src/oci/types.js';
import { validateImage } from '../../src/oci/validate.js';
import { exportDockerArchive, exportOciArchive } from '../../src/store/export.js';
import { openStore } from '../../src/store/open-store.js';
import type { ImageStore } from '../../src/store/types.js';
import { buildTestImage, dir, file, whiteout } from '../helpers/images.js';

const run = promisify(execFile);

let work: string;
let store: ImageStore;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'store-export-'));
  store = await openStore(join(work, 'store'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const layers = [
  [dir('etc'), file('etc/a', 'a\n'), file('etc/b', 'b\n')],
  [dir('etc'), whiteout('etc/a'), file('bin', 'x', 0o755)],
];

/** `tar -tv` lines as GNU tar prints them, without the date column. */
async function listArchive(path: string): Promise<string[]> {
  const { stdout } = await run('tar', ['--numeric-owner', '--utc', '-tvf', path]);
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+\d{4}-\d\d-\d\d \d\d:\d\d/, ''));
}

async function extract(archive: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await run('tar', ['-xf', archive, '-C', to]);
}

describe('exportOciArchive', () => {
  test('a tar of an OCI layout with just that image: sorted entries, 0:0, mtime 0, no temp files', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    await buildTestImage(store, { layers: [[file('other', 'image')]], tag: 'other:1' });
    const out = join(work, 'app.oci.tar');
    await exportOciArchive(store, 'app:1', out);

    const blobs = [image.descriptor, image.manifest.config, ...image.layers.map((l) => l.descriptor)];
    const hexes = blobs.map((d) => d.digest.slice(7)).sort();
    expect(await listArchive(out)).toEqual([
      'drwxr-xr-x 0/0               0 blobs/',
      'drwxr-xr-x 0/0               0 blobs/sha256/',
      ...hexes.map((h) => expect.stringMatching(new RegExp(`^-rw-r--r-- 0/0 +\\d+ blobs/sha256/${h}$`))),
      expect.stringMatching(/^-rw-r--r-- 0\/0 +\d+ index.json$/),
      '-rw-r--r-- 0/0              30 oci-layout',
    ]);
    const { stdout } = await run('tar', ['--full-time', '--utc', '-tvf', out]);
    expect(stdout).not.toMatch(/ (?!1970-01-01 00:00:00)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
    expect((await readdir(work)).sort()).toEqual(['app.oci.tar', 'store']);

    const layout = join(work, 'layout');
    await extract(out, layout);
    const copy = await openStore(layout);
    expect((await copy.listRefs()).map((r) => [r.name, r.descriptor.digest])).toEqual([
      ['app:1', image.descriptor.digest],
    ]);
    expect(await validateImage(copy, image.descriptor)).toEqual([]);
  });

  test('skopeo reads it: inspect by name, copy to dir: keeps every blob byte-for-byte', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    const out = join(work, 'app.oci.tar');
    await exportOciArchive(store, 'app:1', out);
    const { stdout } = await run('skopeo', ['inspect', `oci-archive:${out}:app:1`]);
    expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe(image.descriptor.digest);

    const dirOut = join(work, 'dir');
    await run('skopeo', ['copy', '--quiet', '--preserve-digests', `oci-archive:${out}`, `dir:${dirOut}`]);
    expect(await readFile(join(dirOut, 'manifest.json'))).toEqual(await store.read(image.descriptor.digest));
    for (const d of [image.manifest.config, ...image.layers.map((l) => l.descriptor)]) {
      expect(await readFile(join(dirOut, d.digest.slice(7)))).toEqual(await store.read(d.digest));
    }
  });

  test('the same image gives the same archive bytes', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    await exportOciArchive(store, 'app:1', join(work, 'a.tar'));
    await exportOciArchive(store, 'app:1', join(work, 'b.tar'));
    await exportDockerArchive(store, image.descriptor, join(work, 'c.tar'), { repoTags: ['app:1'] });
    await exportDockerArchive(store, image.descriptor, join(work, 'd.tar'), { repoTags: ['app:1'] });
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((n) => readFile(join(work, `${n}.tar`))));
    expect(a!.equals(b!)).toBe(true);
    expect(c!.equals(d!)).toBe(true);
  });

  test('a multi-platform index is exported whole', async () => {
    const amd = await buildTestImage(store, { layers, platform: { os: 'linux', architecture: 'amd64' } });
    const arm = await buildTestImage(store, {
      layers: [[file('arm', '1')]],
      platform: { os: 'linux', architecture: 'arm64' },
    });
    const index = await writeIndex(store, [amd, arm]);
    await store.tag('multi', index);
    const out = join(work, 'multi.tar');
    await exportOciArchive(store, 'multi', out);
    const layout = join(work, 'layout');
    await extract(out, layout);
    const copy = await openStore(layout);
    expect(await validateImage(copy, index)).toEqual([]);
    expect(
      (await loadImage(copy, index, { platform: { os: 'linux', architecture: 'arm64' } })).descriptor.digest,
    ).toBe(arm.descriptor.digest);
  });
});

describe('exportDockerArchive', () => {
  test('writes what docker save (Docker ≥ 25) writes: the OCI layout plus manifest.json and repositories', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    const out = join(work, 'app.docker.tar');
    await exportDockerArchive(store, 'app:1', out, { repoTags: ['app:1', 'ghcr.io/owner/app:1.0'] });

    expect((await listArchive(out)).map((l) => l.split(' ').pop())).toEqual([
      'blobs/',
      'blobs/sha256/',
      ...[image.descriptor, image.manifest.config, ...image.layers.map((l) => l.descriptor)]
        .map((d) => `blobs/sha256/${d.digest.slice(7)}`)
        .sort(),
      'index.json',
      'manifest.json',
      'oci-layout',
      'repositories',
    ]);
    const x = join(work, 'x');
    await extract(out, x);
    const hex = (d: Digest) => d.slice(7);
    expect(await readFile(join(x, 'manifest.json'), 'utf8')).toBe(
      `[{"Config":"blobs/sha256/${hex(image.manifest.config.digest)}","RepoTags":["app:1","ghcr.io/owner/app:1.0"],` +
        `"Layers":[${image.layers.map((l) => `"blobs/sha256/${hex(l.descriptor.digest)}"`).join(',')}]}]\n`,
    );
    const top = hex(image.layers[1]!.diffId);
    expect(await readFile(join(x, 'repositories'), 'utf8')).toBe(
      `{"app":{"1":"${top}"},"ghcr.io/owner/app":{"1.0":"${top}"}}\n`,
    );
    const index = JSON.parse(await readFile(join(x, 'index.json'), 'utf8')) as ImageIndex;
    expect(index.manifests.map((m) => [m.digest, m.annotations])).toEqual([
      [
        image.descriptor.digest,
        { 'io.containerd.image.name': 'docker.io/library/app:1', 'org.opencontainers.image.ref.name': '1' },
      ],
      [
        image.descriptor.digest,
        { 'io.containerd.image.name': 'ghcr.io/owner/app:1.0', 'org.opencontainers.image.ref.name': '1.0' },
      ],
    ]);
  });

  test('skopeo docker-archive: inspect, and copy to an OCI layout our store validates', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    const out = join(work, 'app.docker.tar');
    await exportDockerArchive(store, 'app:1', out, { repoTags: ['app:1'] });

    for (const ref of [`docker-archive:${out}`, `docker-archive:${out}:app:1`]) {
      const { stdout } = await run('skopeo', ['inspect', ref]);
      const info = JSON.parse(stdout) as { RepoTags: string[]; Layers: string[]; Architecture: string };
      expect(info.Layers).toEqual(image.layers.map((l) => l.diffId)); // docker-archive exposes uncompressed layers
      expect(info.Architecture).toBe('amd64');
    }
    const { stdout: cfg } = await run('skopeo', ['inspect', '--config', '--raw', `docker-archive:${out}`]);
    expect(Buffer.from(cfg)).toEqual(await store.read(image.manifest.config.digest));

    const ociOut = join(work, 'oci');
    await run('skopeo', ['copy', '--quiet', `docker-archive:${out}`, `oci:${ociOut}:copied`]);
    const copy = await openStore(ociOut);
    const desc = (await copy.resolve('copied'))!;
    expect(await validateImage(copy, desc)).toEqual([]);
    const loaded = await loadImage(copy, desc);
    expect(loaded.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    // skopeo re-encodes the config when it converts to OCI media types: compare its meaning, not its bytes.
    expect(loaded.config).toEqual(image.config);
  });

  test('an untagged export still names the image in index.json and has no repositories file', async () => {
    const image = await buildTestImage(store, { layers });
    const out = join(work, 'untagged.tar');
    await exportDockerArchive(store, image.descriptor, out);
    const names = (await listArchive(out)).map((l) => l.split(' ').pop());
    expect(names).toContain('manifest.json');
    expect(names).not.toContain('repositories');
    const { stdout } = await run('skopeo', ['inspect', `docker-archive:${out}`]);
    expect((JSON.parse(stdout) as { Layers: string[] }).Layers.length).toBe(2);
  });

  test('a multi-platform index needs a platform; the chosen image is exported', async () => {
    const amd = await buildTestImage(store, { layers, platform: { os: 'linux', architecture: 'amd64' } });
    const arm = await buildTestImage(store, {
      layers: [[file('arm', '1')]],
      platform: { os: 'linux', architecture: 'arm64' },
    });
    await store.tag('multi', await writeIndex(store, [amd, arm]));
    const out = join(work, 'multi.tar');
    await expect(exportDockerArchive(store, 'multi', out)).rejects.toBeInstanceOf(PlatformNotFoundError);
    await exportDockerArchive(store, 'multi', out, {
      platform: { os: 'linux', architecture: 'arm64' },
      repoTags: ['m:arm'],
    });
    const { stdout } = await run('skopeo', ['inspect', `docker-archive:${out}`]);
    expect(JSON.parse(stdout)).toMatchObject({ Architecture: 'arm64', Layers: [arm.layers[0]!.diffId] });
  });

  const tags = [
    { name: 'short name', given: 'app:1', want: true },
    { name: 'user repo', given: 'user/app:latest', want: true },
    { name: 'registry with port', given: 'localhost:5000/a/b:v1.0-rc_2', want: true },
    { name: 'no tag', given: 'app', want: false },
    { name: 'upper case name', given: 'App:1', want: false },
    { name: 'digest', given: 'app@sha256:' + 'a'.repeat(64), want: false },
    { name: 'tag with a slash', given: 'app:1/2', want: false },
    { name: 'empty tag', given: 'app:', want: false },
  ];
  test.each(tags)('RepoTag $name', async ({ given, want }) => {
    const image = await buildTestImage(store, { layers });
    const result = exportDockerArchive(store, image.descriptor, join(work, 'x.tar'), { repoTags: [given] });
    if (want) await expect(result).resolves.toBeUndefined();
    else await expect(result).rejects.toThrow(/cannot name an image in a Docker archive/);
  });
});

describe('atomic output', () => {
  test('a missing blob fails before anything is written; an existing file is left alone', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    await unlink(store.blobPath(image.layers[0]!.descriptor.digest));
    const out = join(work, 'app.tar');
    await writeFile(out, 'previous export');
    await expect(exportOciArchive(store, 'app:1', out)).rejects.toThrow(/is not in the image store/);
    expect(await readFile(out, 'utf8')).toBe('previous export');
    expect((await readdir(work)).sort()).toEqual(['app.tar', 'store']);
  });

  test('a read error mid-stream removes the temp file and keeps the previous archive', async () => {
    const image = await buildTestImage(store, { layers, tag: 'app:1' });
    const failing: ImageStore = Object.create(store) as ImageStore;
    failing.open = (digest: Digest): Readable => {
      const out = new PassThrough();
      if (digest !== image.layers[1]!.descriptor.digest) return store.open(digest).pipe(out);
      out.write(Buffer.alloc(3));
      setImmediate(() => out.destroy(new Error('disk read error')));
      return out;
    };
    const out = join(work, 'app.tar');
    await writeFile(out, 'previous export');
    await expect(exportDockerArchive(failing, 'app:1', out)).rejects.toThrow(/disk read error/);
    expect(await readFile(out, 'utf8')).toBe('previous export');
    expect((await readdir(work)).sort()).toEqual(['app.tar', 'store']);
  });

  test('an unknown name is a clear error', async () => {
    await expect(exportOciArchive(store, 'nope:1', join(work, 'x.tar'))).rejects.toThrow(
      /image "nope:1" is not in the image store/,
    );
  });
});
