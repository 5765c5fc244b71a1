/**
 * The differential harness itself: the tree walk and comparison on real directories, allowances (and stale ones),
 * the config view, the history check and the fixture loader — so a harness that stops seeing differences fails
 * here rather than letting every fixture pass.
 */
import {
  chmodSync,
  chownSync,
  linkSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageConfig } from '../../../src/oci/types.js';
import { checkHistory, compareConfigs, configFields } from '../../helpers/differential-config.js';
import { judge, listFixtures, loadFixture, type Allowance } from '../../helpers/differential-fixture.js';
import { fixturesOfShard } from '../../helpers/differential-suite.js';
import {
  compareTrees,
  formatDifference,
  readTree,
  type Difference,
} from '../../helpers/differential-tree.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ib-diff-harness-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Tweak = (dir: string) => void;

/** The same small tree on both sides, then each side's tweak. */
function baseTree(dir: string): void {
  mkdirSync(join(dir, 'd/sub'), { recursive: true });
  writeFileSync(join(dir, 'd/f'), 'content\n');
  writeFileSync(join(dir, 'd/sub/g'), 'g\n');
  linkSync(join(dir, 'd/f'), join(dir, 'd/f-link'));
  symlinkSync('f', join(dir, 'd/sym'));
  for (const p of ['d/f', 'd/sub/g']) utimesSync(join(dir, p), 1_700_000_000, 1_700_000_000);
  lutimesSync(join(dir, 'd/sym'), 1_700_000_000, 1_700_000_000);
}

let counter = 0;
async function diffOf(ours: Tweak, buildah: Tweak, mtimes = false): Promise<string[]> {
  const a = join(root, `a${counter}`);
  const b = join(root, `b${counter++}`);
  for (const [dir, tweak] of [
    [a, ours],
    [b, buildah],
  ] as const) {
    mkdirSync(dir);
    baseTree(dir);
    tweak(dir);
  }
  return compareTrees(await readTree(a, { mtimes }), await readTree(b, { mtimes })).map(formatDifference);
}

const none: Tweak = () => undefined;

describe('compareTrees on real directories', () => {
  const cases: { name: string; given: { ours: Tweak; buildah: Tweak; mtimes?: boolean }; want: string[] }[] =
    [
      { name: 'identical trees', given: { ours: none, buildah: none }, want: [] },
      {
        name: 'permission bits',
        given: { ours: (d) => chmodSync(join(d, 'd/sub/g'), 0o600), buildah: none },
        want: ['/d/sub/g: mode ours=0600 buildah=0644'],
      },
      {
        name: 'setuid bit',
        given: { ours: none, buildah: (d) => chmodSync(join(d, 'd/sub/g'), 0o4644) },
        want: ['/d/sub/g: mode ours=0644 buildah=4644'],
      },
      {
        name: 'owner',
        given: { ours: (d) => chownSync(join(d, 'd/sub'), 1000, 50), buildah: none },
        want: ['/d/sub: uid ours=1000 buildah=0', '/d/sub: gid ours=50 buildah=0'],
      },
      {
        name: 'content of the same size',
        given: { ours: (d) => writeFileSync(join(d, 'd/sub/g'), 'h\n'), buildah: none },
        want: ['/d/sub/g: sha256 ours=a1a5d24b87c7f9c0 buildah=c9d05ee3e3e2f4a9'],
      },
      {
        name: 'a directory on one side only is one difference, not one per child',
        given: { ours: (d) => rmSync(join(d, 'd/sub'), { recursive: true }), buildah: none },
        want: ['/d/sub: presence ours=absent buildah=dir 0755 0:0'],
      },
      {
        name: 'a file where the other side has a directory',
        given: {
          ours: none,
          buildah: (d) => {
            rmSync(join(d, 'd/sub'), { recursive: true });
            writeFileSync(join(d, 'd/sub'), 'x');
          },
        },
        want: ['/d/sub: type ours=dir 0755 0:0 buildah=file 0644 0:0 1B'],
      },
      {
        name: 'symlink target',
        given: {
          ours: (d) => {
            rmSync(join(d, 'd/sym'));
            symlinkSync('/abs', join(d, 'd/sym'));
          },
          buildah: none,
        },
        want: ['/d/sym: target ours=/abs buildah=f'],
      },
      {
        name: 'hardlink groups',
        given: {
          ours: none,
          buildah: (d) => {
            rmSync(join(d, 'd/f-link'));
            writeFileSync(join(d, 'd/f-link'), 'content\n');
          },
        },
        want: ['/d/f: hardlinks ours=/d/f-link buildah=-', '/d/f-link: hardlinks ours=/d/f buildah=-'],
      },
      {
        name: 'mtimes are ignored unless asked for',
        given: { ours: (d) => utimesSync(join(d, 'd/sub/g'), 1_600_000_000, 1_600_000_000), buildah: none },
        want: [],
      },
      {
        name: 'mtimes of files when asked for',
        given: {
          ours: (d) => utimesSync(join(d, 'd/sub/g'), 1_600_000_000, 1_600_000_000),
          buildah: none,
          mtimes: true,
        },
        want: ['/d/sub/g: mtime ours=1600000000 buildah=1700000000'],
      },
    ];
  it.each(cases)('$name', async ({ given, want }) => {
    const got = await diffOf(given.ours, given.buildah, given.mtimes);
    // content hashes are written as the first 16 hex digits of sha256
    expect(got.map((l) => l.replace(/sha256 ours=\w+ buildah=\w+/, 'sha256 ours=… buildah=…'))).toEqual(
      want.map((l) => l.replace(/sha256 ours=\w+ buildah=\w+/, 'sha256 ours=… buildah=…')),
    );
  });
});

describe('allowances', () => {
  const diffs: Difference[] = [
    { kind: 'tree', path: '/run', field: 'presence', ours: 'absent', buildah: 'dir 0755 0:0' },
    { kind: 'tree', path: '/srv/a/b', field: 'mode', ours: '0600', buildah: '0644' },
    { kind: 'config', field: 'WorkingDir', ours: '"/"', buildah: 'absent' },
  ];
  const reason = 'because';
  const cases: { name: string; given: Allowance[]; want: { unexpected: number; unused: number } }[] = [
    { name: 'nothing allowed', given: [], want: { unexpected: 3, unused: 0 } },
    {
      name: 'path and field',
      given: [{ path: '/run', field: 'presence', reason }],
      want: { unexpected: 2, unused: 0 },
    },
    { name: 'a subtree', given: [{ path: '/srv/**', reason }], want: { unexpected: 2, unused: 0 } },
    {
      name: 'pinned values that match',
      given: [{ config: 'WorkingDir', ours: '"/"', buildah: 'absent', reason }],
      want: { unexpected: 2, unused: 0 },
    },
    {
      name: 'pinned values that do not match leave the difference and go stale',
      given: [{ config: 'WorkingDir', ours: '"/app"', reason }],
      want: { unexpected: 3, unused: 1 },
    },
    {
      name: 'another field of the path is not covered',
      given: [{ path: '/srv/a/b', field: 'uid', reason }],
      want: { unexpected: 3, unused: 1 },
    },
  ];
  it.each(cases)('$name', ({ given, want }) => {
    const v = judge(diffs, given);
    expect({ unexpected: v.unexpected.length, unused: v.unused.length }).toEqual(want);
  });
});

describe('config view', () => {
  it('treats empty values as absent, drops buildah’s own label and sorts maps', () => {
    const f = configFields({
      architecture: 'amd64',
      os: 'linux',
      config: {
        Env: [],
        Cmd: null,
        WorkingDir: '',
        Labels: { 'io.buildah.version': '1.28.2', b: '2', a: '1' },
        ExposedPorts: { '80/tcp': {}, '443/udp': {} },
        ArgsEscaped: false,
      },
    });
    expect(f).toMatchObject({
      Env: 'absent',
      Cmd: 'absent',
      WorkingDir: 'absent',
      ArgsEscaped: 'absent',
      Labels: '{"a":"1","b":"2"}',
      ExposedPorts: '{"443/udp":{},"80/tcp":{}}',
      architecture: '"amd64"',
    });
  });
  it('reports each field that differs', () => {
    const d = compareConfigs(
      { architecture: 'amd64', os: 'linux', config: { User: 'bob', Env: ['A=1'] } },
      { architecture: 'amd64', os: 'linux', config: { User: 'bob', Env: ['A=2'], StopSignal: 'SIGINT' } },
    );
    expect(d.map(formatDifference)).toEqual([
      'config.Env ours=["A=1"] buildah=["A=2"]',
      'config.StopSignal ours=absent buildah="SIGINT"',
    ]);
  });
});

describe('history check', () => {
  const config = (history: ImageConfig['history'], layers: number): ImageConfig => ({
    architecture: 'amd64',
    os: 'linux',
    rootfs: {
      type: 'layers',
      diff_ids: Array.from({ length: layers }, () => `sha256:${'0'.repeat(64)}` as const),
    },
    history,
  });
  const cases: { name: string; given: { config: ImageConfig; want?: string[] }; want: string[] }[] = [
    {
      name: 'matching texts and layer flags',
      given: {
        config: config(
          [
            { created_by: 'base' },
            { created_by: 'RUN /bin/sh -c x # buildkit' },
            { created_by: 'ENV A=1', empty_layer: true },
          ],
          2,
        ),
        want: ['RUN /bin/sh -c x # buildkit', 'ENV A=1'],
      },
      want: [],
    },
    {
      name: 'a different text',
      given: {
        config: config([{ created_by: 'base' }, { created_by: 'USER bob', empty_layer: true }], 1),
        want: ['USER alice'],
      },
      want: ['history[0]: ours="USER bob" want="USER alice"'],
    },
    {
      name: 'a metadata step recorded as a layer',
      given: { config: config([{ created_by: 'base' }, { created_by: 'WORKDIR /' }], 2) },
      want: ['history[0] "WORKDIR /": empty_layer=false'],
    },
    {
      name: 'layers and history disagree',
      given: { config: config([{ created_by: 'base' }, { created_by: 'COPY a / # buildkit' }], 3) },
      want: ['2 non-empty history entries for 3 layers'],
    },
  ];
  it.each(cases)('$name', ({ given, want }) => {
    expect(checkHistory(given.config, 1, given.want)).toEqual(want);
  });
});

describe('fixture folders', () => {
  it('are discovered, at least 30, and the two shards run each exactly once', () => {
    const all = listFixtures(fixtures);
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect([...fixturesOfShard(0, 2), ...fixturesOfShard(1, 2)].sort()).toEqual(all);
  });
  it.each(listFixtures(fixtures))('%s has a valid expect.json with BuildKit history', (name) => {
    const f = loadFixture(fixtures, name);
    expect(f.proves.length).toBeGreaterThan(10);
    expect(f.history?.length).toBeGreaterThan(0);
    for (const a of f.allowed) expect(a.reason.length).toBeGreaterThan(10);
  });
  it('rejects unknown keys in expect.json', () => {
    const dir = join(root, 'bad-fixture');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'expect.json'), JSON.stringify({ proves: 'x', allowed: [] }));
    expect(() => loadFixture(root, 'bad-fixture')).toThrow(/unknown keys allowed/);
  });
});
