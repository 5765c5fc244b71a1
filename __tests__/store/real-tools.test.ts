/**
 * Independent checks with real OCI tools: what our store writes must be read by skopeo (containers/image) and
 * unpacked by umoci (opencontainers/umoci), and what skopeo writes must be read back by our store.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadImage } from '../../src/oci/image.js';
import { validateImage } from '../../src/oci/validate.js';
import { openStore } from '../../src/store/open-store.js';
import type { ImageStore } from '../../src/store/types.js';
import { buildTestImage, dir, file, hardlink, opaque, symlink, whiteout } from '../helpers/images.js';

const run = promisify(execFile);

let work: string;
let store: ImageStore;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'store-tools-'));
  store = await openStore(join(work, 'store'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const layers = [
  [
    dir('etc'),
    file('etc/keep', 'kept\n'),
    file('etc/gone', 'deleted by layer 2\n'),
    dir('opt'),
    dir('opt/old'),
    file('opt/old/a', 'hidden by the opaque dir\n'),
    file('run.sh', '#!/bin/sh\necho hi\n', 0o755),
  ],
  [
    dir('etc'),
    whiteout('etc/gone'),
    file('etc/new', 'added\n', 0o600, { uid: 1000, gid: 1000 }),
    dir('opt/old'),
    opaque('opt/old'),
    file('opt/old/b', 'only this survives\n'),
  ],
  [symlink('link', 'etc/keep'), hardlink('run2.sh', 'run.sh'), file('suid', 'x', 0o4755)],
];

test('skopeo inspect reads our layout: digest, layers, platform, config', async () => {
  const image = await buildTestImage(store, { layers, tag: 'app:1' });
  const { stdout } = await run('skopeo', ['inspect', `oci:${store.root}:app:1`]);
  const info = JSON.parse(stdout) as {
    Digest: string;
    Layers: string[];
    Architecture: string;
    Os: string;
    Env: string[];
  };
  expect(info.Digest).toBe(image.descriptor.digest);
  expect(info.Layers).toEqual(image.layers.map((l) => l.descriptor.digest));
  expect(info.Architecture).toBe('amd64');
  expect(info.Os).toBe('linux');
  const { stdout: raw } = await run('skopeo', ['inspect', '--raw', `oci:${store.root}:app:1`]);
  expect(Buffer.from(raw)).toEqual(await store.read(image.descriptor.digest));
});

const ociFamilies = [
  { name: 'gzip', given: 'gzip' },
  { name: 'zstd', given: 'zstd' },
  { name: 'uncompressed', given: 'none' },
] as const;
const preserve = ['--quiet', '--preserve-digests', '--dest-oci-accept-uncompressed-layers'];

test.each(ociFamilies)(
  'skopeo copy oci→oci→oci preserves every digest byte-for-byte ($name layers)',
  async ({ given }) => {
    const image = await buildTestImage(store, { layers, tag: 'app:1', compression: given });
    const other = join(work, 'other');
    await run('skopeo', ['copy', ...preserve, `oci:${store.root}:app:1`, `oci:${other}:copied`]);

    // Read skopeo's layout with our store: same manifest digest, every blob identical, image valid.
    const copy = await openStore(other);
    const desc = await copy.resolve('copied');
    expect(desc?.digest).toBe(image.descriptor.digest);
    for (const d of [image.descriptor, image.manifest.config, ...image.layers.map((l) => l.descriptor)]) {
      expect(await copy.read(d.digest)).toEqual(await store.read(d.digest));
    }
    expect((await loadImage(copy, desc!)).layers).toEqual(image.layers);
    expect(await validateImage(copy, desc!)).toEqual([]);

    // And back into our own store under another name.
    await run('skopeo', ['copy', ...preserve, `oci:${other}:copied`, `oci:${store.root}:back`]);
    expect((await store.resolve('back'))?.digest).toBe(image.descriptor.digest);
    expect((await store.listRefs()).map((r) => r.name).sort()).toEqual(['app:1', 'back']);
    expect(await validateImage(store, image.descriptor)).toEqual([]);
  },
);

test('a Docker schema 2 image in the store is read by skopeo (as the only image) and copied byte-for-byte', async () => {
  // containers/image looks names up only among OCI-typed index.json entries, so a Docker-typed image is
  // addressed as the layout's single image here (README: "Docker media types in the store").
  const image = await buildTestImage(store, { layers, tag: 'app:1', family: 'docker' });
  expect(image.manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  const { stdout } = await run('skopeo', ['inspect', `oci:${store.root}`]);
  expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe(image.descriptor.digest);

  const out = join(work, 'dir');
  await run('skopeo', ['copy', ...preserve, `oci:${store.root}`, `dir:${out}`]);
  expect(await readFile(join(out, 'manifest.json'))).toEqual(await store.read(image.descriptor.digest));
  for (const d of [image.manifest.config, ...image.layers.map((l) => l.descriptor)]) {
    expect(await readFile(join(out, d.digest.slice(7)))).toEqual(await store.read(d.digest));
  }
});

test('umoci unpacks our layout: contents, modes, owners, links, whiteouts and opaque dirs applied', async () => {
  await buildTestImage(store, { layers, tag: 'app:1' });
  const bundle = join(work, 'bundle');
  await run('umoci', ['unpack', '--image', `${store.root}:app:1`, bundle]);
  const rootfs = join(bundle, 'rootfs');

  expect(await readFile(join(rootfs, 'etc/keep'), 'utf8')).toBe('kept\n');
  expect(await readFile(join(rootfs, 'etc/new'), 'utf8')).toBe('added\n');
  await expect(lstat(join(rootfs, 'etc/gone'))).rejects.toThrow(/ENOENT/);
  expect((await readdir(join(rootfs, 'opt/old'))).sort()).toEqual(['b']);
  expect((await readdir(rootfs)).filter((n) => n.startsWith('.wh.'))).toEqual([]);

  const modes = [
    { name: 'run.sh', want: { mode: 0o755, uid: 0 } },
    { name: 'etc/new', want: { mode: 0o600, uid: 1000 } },
    { name: 'suid', want: { mode: 0o4755, uid: 0 } },
  ];
  for (const { name, want } of modes) {
    const st = await lstat(join(rootfs, name));
    expect({ name, mode: st.mode & 0o7777, uid: st.uid }).toEqual({ name, ...want });
  }
  expect(await readlink(join(rootfs, 'link'))).toBe('etc/keep');
  const [a, b] = await Promise.all([lstat(join(rootfs, 'run.sh')), lstat(join(rootfs, 'run2.sh'))]);
  expect(b.ino).toBe(a.ino);

  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as {
    process: { args: string[] };
  };
  expect(config.process.args).toEqual(['sh']);
});
