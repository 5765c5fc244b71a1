import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TarError } from '../../../src/oci/tar/errors.js';
import type { TarEntryType, TarHeader } from '../../../src/oci/tar/types.js';
import { readArchive } from './helpers.js';

/**
 * readTar must see what Go's archive/tar (hence containerd and BuildKit) sees. fixtures/reader holds archives
 * made by GNU tar in every format it writes (pax, gnu, oldgnu, ustar, v7) and by git archive (a PAX global
 * header), each with Go's reading in <name>.go.json; see fixtures/go-golden/make-reader-fixtures.sh. Archives
 * named unsupported-* (GNU sparse files) are refused on purpose.
 */
interface GoEntry {
  typeflag: string;
  name: string;
  linkname: string;
  mode: string;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtime: number;
  devmajor: number;
  devminor: number;
  paxRecords?: Record<string, string>;
  bodySha256: string;
}

const types: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};
const fieldKeys = new Set(['path', 'linkpath', 'size', 'uid', 'gid', 'uname', 'gname', 'mtime']);

/** Go's header in our model: directories lose the trailing slash, mode keeps 07777, fields only where they apply. */
function expectedHeader(g: GoEntry): TarHeader {
  const type = types[g.typeflag]!;
  const records = Object.entries(g.paxRecords ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')] as const);
  const xattrs = records.filter(([k]) => k.startsWith('SCHILY.xattr.'));
  const pax = records.filter(([k]) => !k.startsWith('SCHILY.xattr.') && !fieldKeys.has(k));
  return {
    path: type === 'directory' && g.name.length > 1 ? g.name.replace(/\/+$/, '') : g.name,
    type,
    mode: parseInt(g.mode, 8) & 0o7777,
    uid: g.uid,
    gid: g.gid,
    ...(g.uname ? { uname: g.uname } : {}),
    ...(g.gname ? { gname: g.gname } : {}),
    size: type === 'file' ? g.size : 0,
    mtime: g.mtime,
    ...(type === 'symlink' || type === 'hardlink' ? { linkname: g.linkname } : {}),
    ...(type === 'char' || type === 'block' ? { devmajor: g.devmajor, devminor: g.devminor } : {}),
    ...(xattrs.length > 0 ? { xattrs: Object.fromEntries(xattrs.map(([k, v]) => [k.slice(13), v])) } : {}),
    ...(pax.length > 0 ? { pax: Object.fromEntries(pax.map(([k, v]) => [k, v.toString('utf8')])) } : {}),
  };
}

const root = join(import.meta.dirname, 'fixtures', 'reader');
const cases = readdirSync(root)
  .filter((f) => f.endsWith('.tar'))
  .map((f) => ({
    name: f.replace(/\.tar$/, ''),
    given: readFileSync(join(root, f)),
    want: JSON.parse(readFileSync(join(root, f.replace(/\.tar$/, '.go.json')), 'utf8')) as {
      entries: GoEntry[];
    },
  }));

test('the fixture set covers every format', () => {
  expect(cases.map((c) => c.name)).toEqual(
    expect.arrayContaining(['pax', 'gnu', 'oldgnu', 'ustar', 'v7', 'git-archive', 'unsupported-sparse-gnu']),
  );
});

describe('readTar reads GNU tar and git archives as Go does', () => {
  test.each(cases.filter((c) => !c.name.startsWith('unsupported-')))('$name', async ({ given, want }) => {
    const got = await readArchive(given, 1000);
    const expected = want.entries.filter((g) => g.typeflag !== 'g');
    expect(got.map((e) => e.header)).toEqual(expected.map(expectedHeader));
    expect(got.map((e) => createHash('sha256').update(e.body).digest('hex'))).toEqual(
      expected.map((g) => g.bodySha256),
    );
  });

  test.each(cases.filter((c) => c.name.startsWith('unsupported-')))(
    '$name is refused clearly',
    async ({ given }) => {
      const err = await readArchive(given).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TarError);
      expect((err as TarError).reason).toBe('unsupported');
      expect((err as TarError).userMessage()).toMatch(
        /GNU sparse files are not supported .*without --sparse/,
      );
    },
  );
});
