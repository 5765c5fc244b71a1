import { execFileSync } from 'node:child_process';
import {
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TarEntryType, TarHeader } from '../../../src/oci/tar/types.js';
import { readArchive, writeArchive, type ReadEntry } from './helpers.js';

/**
 * readTar reads what GNU tar creates in each of its formats, checked against the files themselves; then a
 * GNU-tar archive read by readTar and rewritten by TarWriter still matches the tree (`tar --compare`).
 * Runs as root (owners, devices). Needs GNU tar and setfattr (Debian package `attr`).
 */
const t = 1_700_000_000;
const longDir = 'long-directory-name-0123456789/'.repeat(4);

function makeTree(root: string): void {
  mkdirSync(join(root, 'dir'));
  mkdirSync(join(root, longDir), { recursive: true });
  writeFileSync(join(root, 'dir/file.txt'), 'hello\n');
  linkSync(join(root, 'dir/file.txt'), join(root, 'dir/hardlink'));
  symlinkSync('dir/file.txt', join(root, 'symlink'));
  writeFileSync(join(root, longDir, 'deep-file.txt'), 'deep\n');
  writeFileSync(join(root, 'ünï-ファイル'), 'unicode\n');
  writeFileSync(join(root, 'setuid'), '', { mode: 0o4755 });
  execFileSync('chmod', ['4755', join(root, 'setuid')]);
  writeFileSync(join(root, 'big-owner'), 'big');
  chownSync(join(root, 'big-owner'), 3_000_000, 4_000_000);
  writeFileSync(join(root, 'bytes'), Buffer.alloc(70_000, 7));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  execFileSync('mknod', ['-m', '0666', join(root, 'null'), 'c', '1', '3']);
  writeFileSync(join(root, 'xattr'), 'x');
  execFileSync('setfattr', ['-n', 'user.note', '-v', 'a=b', join(root, 'xattr')]);
  execFileSync('sh', ['-c', `cd "${root}" && find . -mindepth 1 -exec touch -h -d @${t} {} +`]);
}

const fileTypes: ReadonlyArray<[number, TarEntryType]> = [
  [0o040000, 'directory'],
  [0o120000, 'symlink'],
  [0o020000, 'char'],
  [0o010000, 'fifo'],
  [0o100000, 'file'],
];

/** What a header for `path` must say, from the file itself. */
function expectedFromDisk(root: string, path: string, type: TarEntryType): Partial<TarHeader> {
  const st = lstatSync(join(root, path));
  const want: Record<string, unknown> = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: t };
  if (type === 'file') want.size = st.size;
  if (type === 'symlink') want.linkname = readlinkSync(join(root, path));
  if (type === 'char') Object.assign(want, { devmajor: st.rdev >> 8, devminor: st.rdev & 0xff });
  return want;
}

describe('readTar reads archives GNU tar creates', () => {
  let dir: string;
  const tree = (): string => join(dir, 'tree');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tar-gnu-'));
    mkdirSync(tree());
    makeTree(tree());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { name: string; given: string[]; want: { skip: RegExp } }[] = [
    {
      name: 'pax with xattrs',
      given: ['--format=pax', '--xattrs', '--xattrs-include=*'],
      want: { skip: /^$/ },
    },
    { name: 'posix (= pax)', given: ['--format=posix'], want: { skip: /^$/ } },
    { name: 'gnu', given: ['--format=gnu'], want: { skip: /^$/ } },
    { name: 'oldgnu', given: ['--format=oldgnu'], want: { skip: /big-owner/ } },
    { name: 'ustar', given: ['--format=ustar'], want: { skip: /big-owner|long-directory/ } },
  ];
  test.each(cases)('$name', async ({ given, want }) => {
    const archive = join(dir, 'a.tar');
    const skip = ['./big-owner', './long-directory-name-0123456789'].filter((p) => want.skip.test(p));
    const excludes = skip.map((p) => `--exclude=${p}`);
    execFileSync('tar', ['-cf', archive, '--sort=name', ...given, ...excludes, '-C', tree(), '.'], {
      stdio: 'pipe',
    });
    const entries = await readArchive(readFileSync(archive), 10_000);
    const byPath = new Map<string, ReadEntry>(entries.map((e) => [e.header.path, e]));
    const listed = execFileSync('find', ['.', '-mindepth', '1'], { cwd: tree(), encoding: 'utf8' })
      .trim()
      .split('\n');
    const expected = listed.filter((p) => !skip.some((s) => p === s || p.startsWith(`${s}/`)));
    expect([...byPath.keys()].filter((p) => p !== '.').sort()).toEqual(expected.sort());
    for (const path of expected) {
      const st = lstatSync(join(tree(), path));
      const hardlink = path === './dir/hardlink';
      const type = hardlink ? 'hardlink' : fileTypes.find(([bits]) => (st.mode & 0o170000) === bits)![1];
      const got = byPath.get(path)!;
      expect({ path, type: got.header.type }).toEqual({ path, type });
      if (hardlink) expect(got.header.linkname).toBe('./dir/file.txt');
      else expect(got.header).toEqual(expect.objectContaining(expectedFromDisk(tree(), path, type)));
      if (type === 'file' && !hardlink) expect(got.body).toEqual(readFileSync(join(tree(), path)));
    }
    if (given.includes('--xattrs'))
      expect(byPath.get('./xattr')!.header.xattrs).toEqual({ 'user.note': Buffer.from('a=b') });
  });

  test('GNU tar archive → readTar → TarWriter → tar --compare against the tree', async () => {
    const original = join(dir, 'orig.tar');
    const args = ['--format=pax', '--xattrs', '--xattrs-include=*', '--sort=name', '-C', tree(), '.'];
    execFileSync('tar', ['-cf', original, ...args], { stdio: 'pipe' });
    const rewritten = (await readArchive(readFileSync(original)))
      .filter((e) => e.header.path !== '.')
      .map(({ header, body }) => ({
        header: withoutDotSlash(header),
        ...(header.type === 'file' ? { body } : {}),
      }));
    const ours = join(dir, 'ours.tar');
    writeFileSync(ours, await writeArchive(rewritten));
    const diff = execFileSync('tar', ['--compare', '--xattrs', '-f', ours, '-C', tree()], {
      encoding: 'utf8',
    });
    expect(diff).toBe('');
  });
});

function withoutDotSlash(h: TarHeader): TarHeader {
  const { pax: _pax, ...rest } = h; // atime/ctime records: not written by our writer
  return {
    ...rest,
    path: h.path.replace(/^\.\//, ''),
    ...(h.type === 'hardlink' ? { linkname: h.linkname!.replace(/^\.\//, '') } : {}),
  };
}
