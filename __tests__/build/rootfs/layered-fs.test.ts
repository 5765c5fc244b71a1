import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LayeredFs } from '../../../src/build/rootfs/layered-fs.js';
import { UpperWriter } from '../../../src/build/rootfs/upper-writer.js';

let base: string;
let l0: string; // top
let l1: string;
let l2: string; // bottom

function file(root: string, p: string, content = p): void {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), content);
}
function whiteout(root: string, p: string): void {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  execFileSync('mknod', [join(root, p), 'c', '0', '0']);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ib-layered-'));
  [l0, l1, l2] = ['l0', 'l1', 'l2'].map((n) => join(base, n)) as [string, string, string];
  // bottom layer
  file(l2, 'etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
  file(l2, 'a/x');
  file(l2, 'a/y');
  file(l2, 'opq/old');
  file(l2, 'dir-then-file/inner');
  file(l2, 'file-then-dir');
  mkdirSync(join(l2, 'usr/lib'), { recursive: true });
  file(l2, 'usr/lib/libc.so');
  symlinkSync('usr/lib', join(l2, 'lib'));
  symlinkSync('/usr/lib/../../../../etc', join(l2, 'escape'));
  symlinkSync('loop2', join(l2, 'loop1'));
  symlinkSync('loop1', join(l2, 'loop2'));
  // middle layer
  file(l1, 'a/z');
  whiteout(l1, 'a/y');
  file(l1, 'opq/new');
  file(l1, 'dir-then-file', 'now a file');
  file(l1, 'file-then-dir/inside');
  // top layer
  file(l0, 'a/x', 'x v2');
  file(l0, 'opq/top');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fs3(): LayeredFs {
  return new LayeredFs([
    { dir: l0, opaque: new Set() },
    { dir: l1, opaque: new Set(['opq']) },
    { dir: l2, opaque: new Set() },
  ]);
}

describe('LayeredFs', () => {
  const lookups = [
    { name: 'topmost entry wins', path: '/a/x', want: 'x v2' },
    { name: 'untouched lower file shows through', path: '/etc/passwd', want: 'root:x:0:0::/root:/bin/sh\n' },
    { name: 'whiteout hides a lower file', path: '/a/y', want: undefined },
    { name: 'opaque directory hides lower children', path: '/opq/old', want: undefined },
    { name: 'opaque directory keeps its own and upper children', path: '/opq/new', want: 'opq/new' },
    {
      name: 'a file replacing a directory hides the directory',
      path: '/dir-then-file/inner',
      want: undefined,
    },
    { name: 'a directory replacing a file', path: '/file-then-dir/inside', want: 'file-then-dir/inside' },
    { name: 'intermediate symlinks are not followed by lstat', path: '/lib/libc.so', want: undefined },
  ];
  it.each(lookups)('$name', async ({ path, want }) => {
    const e = await fs3().lstat(path);
    expect(e === undefined ? undefined : readFileSync(e.hostPath, 'utf8')).toBe(want);
  });

  it('merges directory listings across layers', async () => {
    const f = fs3();
    expect(await f.readdir('/a')).toEqual(['x', 'z']);
    expect(await f.readdir('/opq')).toEqual(['new', 'top']);
    expect(await f.readdir('/')).toEqual([
      'a',
      'dir-then-file',
      'escape',
      'etc',
      'file-then-dir',
      'lib',
      'loop1',
      'loop2',
      'opq',
      'usr',
    ]);
  });

  const resolves = [
    { name: 'relative symlink in a parent', path: '/lib/libc.so', want: '/usr/lib/libc.so' },
    { name: 'absolute target with .. cannot leave the root', path: '/escape/passwd', want: '/etc/passwd' },
    { name: 'final symlink kept when not following', path: '/lib', follow: false, want: '/lib' },
    { name: 'missing components are kept', path: '/lib/new/dir', want: '/usr/lib/new/dir' },
    { name: 'dot-dot is clamped at the root', path: '/../../a/../etc', want: '/etc' },
  ];
  it.each(resolves)('resolve: $name', async ({ path, follow, want }) => {
    expect(await fs3().resolve(path, follow ?? true)).toBe(want);
  });

  it('detects symlink loops', async () => {
    await expect(fs3().resolve('/loop1/x')).rejects.toThrow(/too many levels of symbolic links/);
  });
});

describe('UpperWriter', () => {
  it('copies existing parents up with their metadata and creates missing ones with the given attributes', async () => {
    const upper = join(base, `up-${Date.now()}`);
    mkdirSync(upper);
    chmodSync(join(l2, 'usr'), 0o751);
    utimesSync(join(l2, 'usr'), 1000, 1000);
    const w = new UpperWriter(upper, fs3().layers);
    await w.writeFile(
      '/usr/share/doc/readme',
      { data: 'hello' },
      { uid: 1000, gid: 1001, mode: 0o640, mtime: 42 },
      { uid: 0, gid: 0, mode: 0o755 },
    );
    const usr = lstatSync(join(upper, 'usr'));
    // like overlayfs copy-up: mode and owner kept; the mtime moves because a child was added
    expect([usr.mode & 0o7777, usr.uid]).toEqual([0o751, 0]);
    const share = lstatSync(join(upper, 'usr/share'));
    expect([share.mode & 0o7777, share.uid]).toEqual([0o755, 0]);
    const f = lstatSync(join(upper, 'usr/share/doc/readme'));
    expect([f.mode & 0o7777, f.uid, f.gid, f.mtimeMs]).toEqual([0o640, 1000, 1001, 42_000]);
    expect(readdirSync(upper)).toEqual(['usr']);
    // the view sees the new file merged with the lower ones
    expect(await w.view.readdir('/usr')).toEqual(['lib', 'share']);
  });

  it('keeps setuid bits (chown before chmod) and replaces what the step wrote before', async () => {
    const upper = join(base, `up2-${Date.now()}`);
    mkdirSync(upper);
    const w = new UpperWriter(upper, fs3().layers);
    const root = { uid: 0, gid: 0, mode: 0o755 };
    await w.directory('/opt/tool', root);
    await w.writeFile('/opt/tool', { data: 'bin' }, { uid: 1000, gid: 1000, mode: 0o4755 }, root);
    const st = lstatSync(join(upper, 'opt/tool'));
    expect(st.isFile() && (st.mode & 0o7777) === 0o4755).toBe(true);
  });

  it('refuses to create a directory through a file', async () => {
    const upper = join(base, `up3-${Date.now()}`);
    mkdirSync(upper);
    const w = new UpperWriter(upper, fs3().layers);
    await expect(w.mkdirp('/etc/passwd/sub', { uid: 0, gid: 0, mode: 0o755 })).rejects.toThrow(
      /cannot create directory \/etc\/passwd: a file is in the way/,
    );
  });
});
