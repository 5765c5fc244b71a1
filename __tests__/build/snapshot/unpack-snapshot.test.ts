import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { LayeredFs } from '../../../src/build/rootfs/layered-fs.js';
import { rootPrivilege } from '../../../src/build/rootfs/privilege.js';
import { unpackLayer } from '../../../src/build/rootfs/unpack-layer.js';
import { snapshotUpper } from '../../../src/build/snapshot/snapshot-upper.js';
import { readTar } from '../../../src/oci/tar/reader.js';
import type { TarHeader } from '../../../src/oci/tar/types.js';
import { TarWriter } from '../../../src/oci/tar/writer.js';
import { hostileTar, type HostileMember } from '../../helpers/hostile-tar.js';

const hostEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
let base: string;
let n = 0;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ib-unpack-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

type Spec = Partial<TarHeader> & { path: string; type: TarHeader['type']; data?: string };

async function* tarOf(specs: readonly Spec[]): AsyncGenerator<Uint8Array> {
  const w = new TarWriter();
  const done = (async () => {
    for (const s of specs) {
      const data = s.data === undefined ? undefined : Buffer.from(s.data);
      const { data: _d, ...h } = s;
      await w.add({ mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000, size: data?.length ?? 0, ...h }, data);
    }
    await w.finish();
  })().catch((err: Error) => {
    w.stream.destroy(err);
  });
  for await (const c of w.stream) yield c as Uint8Array;
  await done;
}

function freshDir(): string {
  const d = join(base, `d${++n}`);
  mkdirSync(d);
  return d;
}

async function unpack(specs: readonly Spec[]): Promise<{ dir: string; opaque: string[] }> {
  const dir = freshDir();
  const r = await unpackLayer({
    dir,
    tar: tarOf(specs),
    what: 'test layer',
    privilege: rootPrivilege,
    hostEnv,
  });
  return { dir, opaque: r.opaque };
}

async function snapshot(
  upper: string,
  below: LayeredFs,
  epoch?: number,
): Promise<{ headers: TarHeader[]; bodies: Map<string, string>; opaque: readonly string[] }> {
  const s = snapshotUpper({
    upper,
    below,
    privilege: rootPrivilege,
    hostEnv,
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
  });
  const headers: TarHeader[] = [];
  const bodies = new Map<string, string>();
  for await (const e of readTar(s.tar)) {
    headers.push(e.header);
    const chunks: Buffer[] = [];
    for await (const c of e.body) chunks.push(c);
    if (e.header.type === 'file') bodies.set(e.header.path, Buffer.concat(chunks).toString());
  }
  const sum = await s.summary;
  expect(sum.entries).toBe(headers.length);
  return { headers, bodies, opaque: sum.opaque };
}

const layer: Spec[] = [
  { path: 'etc', type: 'directory', mode: 0o755 },
  { path: 'etc/app.conf', type: 'file', data: 'v=1\n', mode: 0o640, uid: 1000, gid: 1000 },
  { path: 'etc/.wh.old.conf', type: 'file', data: '' },
  { path: 'var', type: 'directory', mode: 0o755 },
  { path: 'var/cache', type: 'directory', mode: 0o700 },
  { path: 'var/cache/.wh..wh..opq', type: 'file', data: '' },
  { path: 'var/cache/fresh', type: 'file', data: 'fresh' },
  { path: 'bin', type: 'directory', mode: 0o755 },
  { path: 'bin/tool', type: 'file', data: '#!/bin/sh\n', mode: 0o4755 },
  { path: 'bin/tool-link', type: 'hardlink', linkname: 'bin/tool' },
  { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', mode: 0o777 },
  { path: 'dev', type: 'directory', mode: 0o755 },
  { path: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
];

describe('unpackLayer', () => {
  it('writes an overlay-format layer directory', async () => {
    const { dir, opaque } = await unpack(layer);
    expect(opaque).toEqual(['var/cache']);
    const wh = lstatSync(join(dir, 'etc/old.conf'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    expect(existsSync(join(dir, 'etc/.wh.old.conf'))).toBe(false);
    const tool = lstatSync(join(dir, 'bin/tool'));
    expect([tool.mode & 0o7777, tool.nlink]).toEqual([0o4755, 2]);
    const conf = lstatSync(join(dir, 'etc/app.conf'));
    expect([conf.uid, conf.gid, conf.mode & 0o7777, conf.mtimeMs]).toEqual([
      1000, 1000, 0o640, 1_700_000_000_000,
    ]);
    expect(lstatSync(join(dir, 'var/cache')).mode & 0o7777).toBe(0o700);
    expect(readdirSync(join(dir, 'var/cache'))).toEqual(['fresh']);
  });

  it('round-trips through a snapshot: whiteouts, opaque directories, hardlinks, devices, setuid', async () => {
    const { dir } = await unpack(layer);
    const snap = await snapshot(dir, new LayeredFs([{ dir: freshDir(), opaque: new Set() }]));
    const view = snap.headers.map((h) => [h.path, h.type, h.mode.toString(8), h.linkname ?? ''].join(' '));
    expect(view).toEqual([
      'bin directory 755 ',
      'bin/sh symlink 777 /bin/busybox',
      'bin/tool file 4755 ',
      'bin/tool-link hardlink 4755 bin/tool',
      'dev directory 755 ',
      'dev/null char 666 ',
      'etc directory 755 ',
      'etc/app.conf file 640 ',
      'etc/.wh.old.conf file 0 ',
      'var directory 755 ',
      'var/cache directory 700 ',
      'var/cache/.wh..wh..opq file 0 ',
      'var/cache/fresh file 644 ',
    ]);
    expect(snap.opaque).toEqual(['var/cache']);
    expect(snap.bodies.get('etc/app.conf')).toBe('v=1\n');
    for (const h of snap.headers) expect(h.uname ?? '').toBe('');
  });

  const hostileCases: { name: string; members: HostileMember[]; want: RegExp }[] = [
    { name: 'dot-dot entry', members: [{ kind: 'file', name: '../escape' }], want: /climbs out of the root/ },
    {
      name: 'nested dot-dot',
      members: [{ kind: 'file', name: 'a/../../escape' }],
      want: /climbs out of the root/,
    },
    {
      name: 'symlink then write through it',
      members: [
        { kind: 'symlink', name: 'evil', target: '/etc' },
        { kind: 'file', name: 'evil/passwd', data: 'root::0:0::/:/bin/sh' },
      ],
      want: /written through a symbolic link/,
    },
    {
      name: 'hardlink to a host file',
      members: [{ kind: 'hardlink', name: 'shadow', target: '/etc/shadow' }],
      want: /hard link to something outside the archive/,
    },
    {
      name: 'hardlink climbing out',
      members: [{ kind: 'hardlink', name: 'x', target: '../../etc/passwd' }],
      want: /climbs out of the root/,
    },
    {
      name: 'opaque root',
      members: [{ kind: 'file', name: '.wh..wh..opq', data: '' }],
      want: /root directory opaque/,
    },
  ];
  it.each(hostileCases)('refuses a hostile archive: $name', async ({ members, want }) => {
    const dir = freshDir();
    const bytes = hostileTar(members);
    await expect(
      unpackLayer({
        dir,
        tar: Readable.from([bytes]),
        what: 'test layer',
        privilege: rootPrivilege,
        hostEnv,
      }),
    ).rejects.toThrow(want);
    expect(existsSync('/escape')).toBe(false);
  });

  it('absolute entry paths land inside the layer', async () => {
    const dir = freshDir();
    const bytes = hostileTar([{ kind: 'file', name: '/etc/motd', data: 'hi' }]);
    await unpackLayer({
      dir,
      tar: Readable.from([bytes]),
      what: 'test layer',
      privilege: rootPrivilege,
      hostEnv,
    });
    expect(readFileSync(join(dir, 'etc/motd'), 'utf8')).toBe('hi');
  });
});

describe('snapshotUpper', () => {
  it('drops copied-up directories that did not change, keeps changed ones, clamps times to the epoch', async () => {
    const lower = freshDir();
    mkdirSync(join(lower, 'etc'));
    mkdirSync(join(lower, 'srv'));
    utimesSync(join(lower, 'etc'), 1000, 1000);
    utimesSync(join(lower, 'srv'), 1000, 1000);
    const upper = freshDir();
    mkdirSync(join(upper, 'etc'));
    utimesSync(join(upper, 'etc'), 1000, 1000); // a stub's parent, times restored
    mkdirSync(join(upper, 'srv'), { mode: 0o700 }); // chmod'ed by the step
    utimesSync(join(upper, 'srv'), 1000, 1000);
    writeFileSync(join(upper, 'new'), 'n');
    const snap = await snapshot(upper, new LayeredFs([{ dir: lower, opaque: new Set() }]), 5000);
    expect(snap.headers.map((h) => `${h.path} ${h.mtime}`)).toEqual(['new 5000', 'srv 1000']);
  });

  it('an upper dir with no changes gives an empty layer', async () => {
    const lower = freshDir();
    mkdirSync(join(lower, 'etc'));
    const upper = freshDir();
    mkdirSync(join(upper, 'etc'));
    utimesSync(join(upper, 'etc'), lstatSync(join(lower, 'etc')).atime, lstatSync(join(lower, 'etc')).mtime);
    const snap = await snapshot(upper, new LayeredFs([{ dir: lower, opaque: new Set() }]));
    expect(snap.headers).toEqual([]);
  });
});
