/**
 * The base image both builders of the differential suite start from: the busybox userland plus files that
 * exercise inheritance (owners, special bits, symlinks, hardlinks, a whiteout and an opaque directory in a later
 * layer). Layers are packed with GNU tar from real directory trees, assembled with ImageDraft and pushed to the
 * test registry with our push, so that image-build and buildah pull the very same image by reference.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { MemoryLogger } from '../../src/log.js';
import { sha256 } from '../../src/oci/digest.js';
import { ImageDraft } from '../../src/oci/image-draft.js';
import { MediaType } from '../../src/oci/media-types.js';
import { hostPlatform } from '../../src/oci/platform.js';
import type { HistoryEntry } from '../../src/oci/types.js';
import { pushImage } from '../../src/push/index.js';
import { RegistryClient } from '../../src/registry/client.js';
import { parseReference } from '../../src/registry/reference.js';
import { openStore } from '../../src/store/index.js';
import { writeBusyboxRootfs } from './busybox-rootfs.js';

/** Every base file's mtime (2024-03-09); fixtures with SOURCE_DATE_EPOCH use an earlier epoch. */
export const baseMtime = 1_710_000_000;
export const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BaseImage {
  /** `127.0.0.1:PORT/differential/base:1` */
  readonly reference: string;
  /** History entries of the base (fixtures' own entries follow them). */
  readonly historyLength: number;
}

type TreeWriter = (dir: string) => void;

/** Layer 1: the userland, its users, and the directories a RUN needs. */
const userland: TreeWriter = (dir) => {
  writeBusyboxRootfs(dir);
  for (const d of ['dev', 'proc', 'sys', 'run', 'home/alice', 'usr/local/bin', 'srv'])
    mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'etc/hosts'), '127.0.0.1\tlocalhost\n');
  writeFileSync(join(dir, 'etc/hostname'), 'base\n');
  writeFileSync(join(dir, 'etc/resolv.conf'), 'nameserver 127.0.0.1\n');
  chownSync(join(dir, 'home/bob'), 1000, 1000);
  chownSync(join(dir, 'home/alice'), 1001, 1001);
  chmodSync(join(dir, 'home/alice'), 0o700);
};

/** Layer 2: application-like files with owners, special bits, links and things later fixtures change. */
const appFiles: TreeWriter = (dir) => {
  const w = (rel: string, content: string, mode = 0o644, uid = 0, gid = 0): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
    chmodSync(join(dir, rel), mode);
    chownSync(join(dir, rel), uid, gid);
  };
  w('srv/data/a.txt', 'alpha\n');
  w('srv/data/b.txt', 'bravo\n', 0o600, 1000, 1000);
  w('srv/data/sub/c.txt', 'charlie\n');
  w('srv/data/removed.txt', 'removed by layer 3\n');
  w('srv/old/x', 'old x\n');
  w('srv/old/y/z', 'old z\n');
  w('srv/cache/old', 'hidden by the opaque dir of layer 3\n');
  w('srv/hl1', 'two names, one inode\n');
  linkSync(join(dir, 'srv/hl1'), join(dir, 'srv/hl2'));
  symlinkSync('data/a.txt', join(dir, 'srv/link-rel'));
  symlinkSync('/srv/data', join(dir, 'srv/link-abs'));
  symlinkSync('/nonexistent/target', join(dir, 'srv/dangling'));
  w('srv/suid', '#!/bin/sh\n', 0o4755);
  mkdirSync(join(dir, 'srv/sgid'));
  chmodSync(join(dir, 'srv/sgid'), 0o2775);
  chownSync(join(dir, 'srv/sgid'), 0, 50);
  mkdirSync(join(dir, 'srv/sticky'));
  chmodSync(join(dir, 'srv/sticky'), 0o1777);
  w('srv/file-to-dir', 'a file that becomes a directory\n');
  w('srv/dir-to-file/inner', 'a directory that becomes a file\n');
  w('srv/real/existing', 'reached through the /linked symlink\n');
  symlinkSync('/srv/real', join(dir, 'linked'));
  w('opt/app/config', 'owned by alice\n', 0o640, 1001, 1001);
  chownSync(join(dir, 'opt/app'), 1001, 1001);
  chmodSync(join(dir, 'opt/app'), 0o750);
  mkdirSync(join(dir, 'usr/local/bin'), { recursive: true });
  symlinkSync('/bin/busybox', join(dir, 'usr/local/bin/tool'));
  w('etc/motd', 'welcome\n', 0o644, 1000, 50);
};

/** Layer 3: a whiteout and an opaque directory, so base unpacking is part of what is compared. */
const changes: TreeWriter = (dir) => {
  mkdirSync(join(dir, 'srv/data'), { recursive: true });
  writeFileSync(join(dir, 'srv/data/.wh.removed.txt'), '');
  mkdirSync(join(dir, 'srv/cache'), { recursive: true });
  writeFileSync(join(dir, 'srv/cache/.wh..wh..opq'), '');
  writeFileSync(join(dir, 'srv/cache/new'), 'after the opaque marker\n');
};

/** Packs a directory tree into a layer tar the way a plain `tar` user would (sorted, numeric owners). */
function packLayer(dir: string): Buffer {
  execFileSync('find', [dir, '-exec', 'touch', '-h', '-d', `@${baseMtime}`, '{}', '+']);
  const names = readdirSync(dir).sort();
  return execFileSync(
    'tar',
    [
      '--create',
      '--format=posix',
      '--pax-option=delete=atime,delete=ctime',
      '--numeric-owner',
      '--sort=name',
      `--directory=${dir}`,
      '--',
      ...names,
    ],
    { maxBuffer: 256 << 20 },
  );
}

/** Builds the base image from three trees under `workDir` and pushes it to `registryHost`. */
export async function pushBaseImage(workDir: string, registryHost: string): Promise<BaseImage> {
  const store = await openStore(join(workDir, 'store'));
  const layers: [TreeWriter, string][] = [
    [userland, 'busybox userland, users and groups'],
    [appFiles, 'application files'],
    [changes, 'a whiteout and an opaque directory'],
  ];
  let draft = ImageDraft.scratch(hostPlatform(), 'oci').withCreated(new Date(baseMtime * 1000).toISOString());
  const created = new Date(baseMtime * 1000).toISOString();
  for (const [i, [write, what]] of layers.entries()) {
    const dir = join(workDir, `layer${i + 1}`);
    mkdirSync(dir, { recursive: true });
    write(dir);
    const tar = packLayer(dir);
    const blob = zlib.gzipSync(tar);
    await store.put(blob, { digest: sha256(blob), size: blob.length });
    const descriptor = { mediaType: MediaType.ociLayerGzip, digest: sha256(blob), size: blob.length };
    draft = draft.withLayer({ descriptor, diffId: sha256(tar) }, { created, created_by: what });
  }
  const cmd: HistoryEntry = { created, created_by: 'CMD ["/bin/sh"]' };
  draft = draft.withHistory(cmd).withConfig({
    Env: [`PATH=${basePath}`, 'BASE_VAR=from-base'],
    Cmd: ['/bin/sh'],
    Labels: { 'org.example.base': 'busybox' },
  });
  const image = await draft.write(store);
  const reference = `${registryHost}/differential/base:1`;
  const logger = new MemoryLogger();
  const client = new RegistryClient({ registry: registryHost, logger });
  try {
    await pushImage({
      client,
      store,
      source: image.descriptor,
      targets: [parseReference(reference)],
      logger,
    });
  } finally {
    client.close();
  }
  return { reference, historyLength: image.config.history?.length ?? 0 };
}
