import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TarHeader } from '../../../src/oci/tar/types.js';
import { writeArchive } from './helpers.js';

/**
 * GNU tar (as root) extracts what TarWriter writes with every attribute intact: the independent check that our
 * archives mean what we think they mean. Needs GNU tar and getfattr (Debian package `attr`).
 */
const t = 1_700_000_000;
const cap = Buffer.from('0100000200200000000000000000000000000000', 'hex'); // cap_net_raw=ep, VFS v2
const longDir = `${'ünïcödé-directory-'.repeat(5)}end`;
const entries: { header: TarHeader; body?: Buffer }[] = [
  { header: { path: 'bin', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: t - 100 } },
  {
    header: { path: 'bin/tool', type: 'file', mode: 0o4755, uid: 0, gid: 0, size: 5, mtime: t },
    body: Buffer.from('tool\n'),
  },
  {
    header: {
      path: 'bin/tool-link',
      type: 'hardlink',
      mode: 0o4755,
      uid: 0,
      gid: 0,
      size: 0,
      mtime: t,
      linkname: 'bin/tool',
    },
  },
  { header: { path: 'bin/sg', type: 'file', mode: 0o2711, uid: 0, gid: 42, size: 0, mtime: t } },
  {
    header: {
      path: 'bin/ping',
      type: 'file',
      mode: 0o755,
      uid: 0,
      gid: 0,
      size: 0,
      mtime: t,
      xattrs: { 'security.capability': cap, 'user.origin': Buffer.from('layer\nwriter=1') },
    },
  },
  { header: { path: 'tmp', type: 'directory', mode: 0o1777, uid: 0, gid: 0, size: 0, mtime: t } },
  {
    header: {
      path: 'tmp/empty',
      type: 'file',
      mode: 0o600,
      uid: 3_000_000,
      gid: 4_294_967_294,
      size: 0,
      mtime: t,
    },
  },
  { header: { path: 'dev', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: t } },
  {
    header: {
      path: 'dev/null',
      type: 'char',
      mode: 0o666,
      uid: 0,
      gid: 0,
      size: 0,
      mtime: t,
      devmajor: 1,
      devminor: 3,
    },
  },
  {
    header: {
      path: 'dev/loop9',
      type: 'block',
      mode: 0o660,
      uid: 0,
      gid: 6,
      size: 0,
      mtime: t,
      devmajor: 7,
      devminor: 9,
    },
  },
  { header: { path: 'dev/pipe', type: 'fifo', mode: 0o620, uid: 0, gid: 0, size: 0, mtime: t } },
  { header: { path: longDir, type: 'directory', mode: 0o750, uid: 1000, gid: 1000, size: 0, mtime: t - 5 } },
  {
    header: {
      path: `${longDir}/${'x'.repeat(200)}.txt`,
      type: 'file',
      mode: 0o640,
      uid: 1000,
      gid: 1000,
      size: 3,
      mtime: t,
    },
    body: Buffer.from('abc'),
  },
  {
    header: {
      path: 'link',
      type: 'symlink',
      mode: 0o777,
      uid: 0,
      gid: 0,
      size: 0,
      mtime: t,
      linkname: `../${'t'.repeat(150)}/ëtc`,
    },
  },
  { header: { path: 'old', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: -86_400 } },
  { header: { path: 'future', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 2 ** 33 + 12_345 } }, // beyond octal: PAX mtime
];

const typeBits: Readonly<Record<string, number>> = {
  file: 0o100000,
  directory: 0o040000,
  symlink: 0o120000,
  hardlink: 0o100000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000,
};

describe('GNU tar extracts TarWriter output', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tar-extract-'));
    const archive = join(dir, 'layer.tar');
    writeFileSync(archive, await writeArchive(entries));
    execFileSync('mkdir', [join(dir, 'root')]);
    const args = [
      '-xpf',
      archive,
      '--xattrs',
      '--xattrs-include=*',
      '--numeric-owner',
      '-C',
      join(dir, 'root'),
    ];
    execFileSync('tar', args, { stdio: 'pipe' }); // stderr: warnings about the odd timestamps
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(entries.map((e) => ({ name: e.header.path.slice(0, 60), given: e })))('$name', ({ given }) => {
    const h = given.header;
    const path = join(dir, 'root', h.path);
    const st = lstatSync(path, { bigint: false });
    expect(st.mode & 0o170000).toBe(typeBits[h.type]);
    if (h.type !== 'symlink') expect(st.mode & 0o7777).toBe(h.mode);
    expect([st.uid, st.gid]).toEqual([h.uid, h.gid]);
    if (h.type !== 'symlink') expect(Math.floor(st.mtimeMs / 1000)).toBe(h.mtime);
    if (h.type === 'file') expect(readFileSync(path)).toEqual(given.body ?? Buffer.alloc(0));
    if (h.type === 'symlink') expect(readlinkSync(path)).toBe(h.linkname);
    if (h.type === 'hardlink') expect(st.ino).toBe(lstatSync(join(dir, 'root', h.linkname!)).ino);
    if (h.type === 'char' || h.type === 'block')
      expect([st.rdev >> 8, st.rdev & 0xff]).toEqual([h.devmajor, h.devminor]);
    expect(readXattrs(path)).toEqual(
      h.type === 'hardlink' ? readXattrs(join(dir, 'root', h.linkname!)) : (h.xattrs ?? {}),
    );
  });

  test('tar -tv lists every entry with numeric owners and modes', async () => {
    const args = ['-tvf', join(dir, 'layer.tar'), '--numeric-owner', '--quoting-style=literal'];
    const listing = execFileSync('tar', args, { encoding: 'utf8', stdio: 'pipe' });
    const lines = listing.trimEnd().split('\n');
    expect(lines).toHaveLength(entries.length);
    expect(lines[1]).toMatch(/^-rwsr-xr-x 0\/0 +5 2023-11-14 22:13 bin\/tool$/);
    expect(lines[2]).toMatch(/^hrwsr-xr-x 0\/0 +0 2023-11-14 22:13 bin\/tool-link link to bin\/tool$/);
    expect(lines[6]).toMatch(/^-rw------- 3000000\/4294967294 +0 .* tmp\/empty$/);
    expect(lines[8]).toMatch(/^crw-rw-rw- 0\/0 +1,3 .* dev\/null$/);
    expect(lines[12]).toContain(`${longDir}/${'x'.repeat(200)}.txt`);
  });
});

/** All xattrs of a file (without following symlinks), via getfattr. */
function readXattrs(path: string): Record<string, Buffer> {
  const out = execFileSync('getfattr', ['-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', path], {
    encoding: 'utf8',
  });
  const attrs: Record<string, Buffer> = {};
  for (const line of out.split('\n')) {
    const m = /^([^#=][^=]*)=0x([0-9a-f]*)$/.exec(line);
    if (m) attrs[m[1]!] = Buffer.from(m[2]!, 'hex');
  }
  return attrs;
}
