/**
 * Hostile build input through real builds: malicious archives for ADD (made with GNU tar), context symlinks
 * that point out of the context, COPY destinations and WORKDIRs through symlinks that lead out of the rootfs,
 * and RUN steps that try to leave the sandbox or leave processes behind. For every case the outcome is checked
 * (a clean BuildStepError, or a build whose layer keeps the path inside the image) and so is the host: the
 * victim directory outside the work root, sentinel files such as /etc/passwd, the mount table and the process
 * list are the same before and after.
 */
import { jest } from '@jest/globals';
import { lowerOption, maxLowerLayers } from '../../src/build/rootfs/sandbox.js';
import { BuildStepError, DockerfileError, type ImageBuildError } from '../../src/errors.js';
import { HostileBuilds, type BuildOutcome, type ContextFile } from '../helpers/reliability-build.js';
import { hostChanges, makeVictim, snapshotHost, type Victim } from '../helpers/reliability-host.js';
import { hostileTar } from '../helpers/hostile-tar.js';

jest.setTimeout(120_000);

let builds: HostileBuilds;
let victim: Victim;
const marker = 'sleep 7319';

beforeAll(async () => {
  builds = await HostileBuilds.start();
  victim = makeVictim([marker, 'sleep 7320', 'sleep 7321']);
});
afterAll(() => {
  builds?.cleanup();
  victim?.cleanup();
});

/** What a case expects: a clean failure (error class and message) or a build, with checks on its top layer. */
type Want =
  | { readonly kind: 'fails'; readonly error: typeof ImageBuildError; readonly message: RegExp }
  | {
      readonly kind: 'builds';
      readonly topLayer?: (listing: string[], v: Victim) => void;
      /** What the RUN steps printed. */
      readonly output?: RegExp;
    };

interface HostileCase {
  readonly name: string;
  readonly given: (v: Victim) => {
    readonly files?: Readonly<Record<string, ContextFile>>;
    readonly dockerfile: string;
    /** The host's perl in the rootfs. */
    readonly perl?: boolean;
  };
  readonly want: Want;
}

const base = 'FROM scratch\nCOPY rootfs/ /\n';
/** A relative path from deep inside an image to the victim on the host, if anything resolved it on the host. */
const climb = (v: Victim): string => `../../../../../../../..${v.dir}`;

const archiveCases: HostileCase[] = [
  {
    name: 'ADD of an archive with a ../ entry',
    given: (v) => ({
      files: { 'evil.tar': hostileTar([{ kind: 'file', name: `${climb(v)}/pwned`, data: 'pwned' }]) },
      dockerfile: `${base}ADD evil.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message: /^Dockerfile:3: ADD evil\.tar: archive entry ".*\/pwned" is outside the extraction root — /,
    },
  },
  {
    name: 'ADD of an archive with absolute paths: they land inside the image',
    given: (v) => ({
      files: {
        'abs.tar': hostileTar([
          { kind: 'file', name: `${v.dir}/pwned`, data: 'pwned' },
          { kind: 'file', name: '/etc/ib-pwned', data: 'pwned' },
        ]),
      },
      dockerfile: `${base}ADD abs.tar /x/\n`,
    }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) => {
        expect(listing.some((l) => l.endsWith(` x${v.dir}/pwned`))).toBe(true);
        expect(listing.some((l) => l.endsWith(' x/etc/ib-pwned'))).toBe(true);
      },
    },
  },
  {
    name: 'ADD of an archive that writes through a symlink it created (to the victim, absolute)',
    given: (v) => ({
      files: {
        'evil.tar': hostileTar([
          { kind: 'symlink', name: 'out', target: v.dir },
          { kind: 'file', name: 'out/pwned', data: 'pwned' },
        ]),
      },
      dockerfile: `${base}ADD evil.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: ADD evil\.tar: archive entry "out\/pwned" is written through a symbolic link of the same archive — /,
    },
  },
  {
    name: 'ADD of an archive with a symlink chain climbing out, then a write through it',
    given: (v) => ({
      files: {
        'evil.tar': hostileTar([
          { kind: 'symlink', name: 'a', target: 'b/c' },
          { kind: 'symlink', name: 'b', target: '.' },
          { kind: 'symlink', name: 'c', target: climb(v) },
          { kind: 'file', name: 'a/secret.txt', data: 'overwritten' },
        ]),
      },
      dockerfile: `${base}ADD evil.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: ADD evil\.tar: archive entry "a\/secret\.txt" is written through a symbolic link of the same archive — /,
    },
  },
  {
    name: 'ADD of an archive with a hard link to a host file (absolute)',
    given: (v) => ({
      files: { 'evil.tar': hostileTar([{ kind: 'hardlink', name: 'stolen', target: v.secretFile }]) },
      dockerfile: `${base}ADD evil.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: ADD evil\.tar: archive entry "stolen" is a hard link to something outside the archive \(/,
    },
  },
  {
    name: 'ADD of an archive with a hard link climbing out',
    given: (v) => ({
      files: {
        'evil.tar': hostileTar([{ kind: 'hardlink', name: 'stolen', target: `${climb(v)}/secret.txt` }]),
      },
      dockerfile: `${base}ADD evil.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: ADD evil\.tar: archive entry "stolen" is a hard link to something outside the archive \(/,
    },
  },
  {
    name: 'ADD of an archive with a device node (the host disk) and a FIFO',
    given: () => ({
      files: {
        'dev.tar': hostileTar([
          { kind: 'device', name: 'disk', type: 'b', major: 8, minor: 0 },
          { kind: 'device', name: 'mem', type: 'c', major: 1, minor: 1 },
          { kind: 'fifo', name: 'pipe' },
        ]),
      },
      dockerfile: `${base}ADD dev.tar /x/\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: ADD dev\.tar: archive entry "disk" is a block device, which ADD does not extract — /,
    },
  },
];

const contextCases: HostileCase[] = [
  {
    name: 'COPY of a context symlink pointing at a host file (absolute)',
    given: (v) => ({ files: { leak: { symlink: v.secretFile } }, dockerfile: `${base}COPY leak /leak\n` }),
    want: { kind: 'fails', error: BuildStepError, message: /leak/ },
  },
  {
    name: 'COPY of a context symlink climbing out of the context',
    given: (v) => ({
      files: { leak: { symlink: `${climb(v)}/secret.txt` } },
      dockerfile: `${base}COPY leak /leak\n`,
    }),
    want: { kind: 'fails', error: BuildStepError, message: /leak/ },
  },
  {
    name: 'COPY of a directory holding a symlink out: copied as a symlink, never followed',
    given: (v) => ({
      files: { 'dir/leak': { symlink: v.secretFile } },
      dockerfile: `${base}COPY dir/ /dir/\n`,
    }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) =>
        expect(listing.find((l) => l.includes('dir/leak'))).toMatch(
          new RegExp(`dir/leak -> ${v.secretFile}$`),
        ),
    },
  },
  {
    name: 'ADD of a context symlink to a host archive',
    given: (v) => ({ files: { 'x.tar': { symlink: v.secretFile } }, dockerfile: `${base}ADD x.tar /x/\n` }),
    want: { kind: 'fails', error: BuildStepError, message: /x\.tar/ },
  },
  {
    name: 'COPY ../ out of the context',
    given: (v) => ({ dockerfile: `${base}COPY ${climb(v)}/secret.txt /leak\n` }),
    want: { kind: 'fails', error: DockerfileError, message: /outside the build context/ },
  },
];

const destinationCases: HostileCase[] = [
  {
    name: 'COPY to a destination through an absolute symlink to the victim: written inside the image',
    given: (v) => ({
      files: { 'payload.txt': 'pwned' },
      dockerfile: `${base}RUN ln -s ${v.dir} /out\nCOPY payload.txt /out/secret.txt\n`,
    }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) =>
        expect(listing.some((l) => l.endsWith(` ${v.dir.slice(1)}/secret.txt`))).toBe(true),
    },
  },
  {
    name: 'COPY to a destination through a relative symlink climbing out',
    given: (v) => ({
      files: { 'payload.txt': 'pwned' },
      dockerfile: `${base}RUN mkdir -p /a/b && ln -s ../../../../../..${v.dir} /a/b/out\nCOPY payload.txt /a/b/out/pwned\n`,
    }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) =>
        expect(listing.some((l) => l.endsWith(` ${v.dir.slice(1)}/pwned`))).toBe(true),
    },
  },
  {
    name: 'WORKDIR through a symlink out, then a RUN writing there',
    given: (v) => ({ dockerfile: `${base}RUN ln -s ${v.dir} /w\nWORKDIR /w/sub\nRUN echo pwned > here\n` }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) =>
        expect(listing.some((l) => l.endsWith(` ${v.dir.slice(1)}/sub/here`))).toBe(true),
    },
  },
  {
    name: 'ADD an archive into a destination that is a symlink out',
    given: (v) => ({
      files: { 'ok.tar': hostileTar([{ kind: 'file', name: 'pwned', data: 'pwned' }]) },
      dockerfile: `${base}RUN ln -s ${v.dir} /out\nADD ok.tar /out/\n`,
    }),
    want: {
      kind: 'builds',
      topLayer: (listing, v) =>
        expect(listing.some((l) => l.endsWith(` ${v.dir.slice(1)}/pwned`))).toBe(true),
    },
  },
];

const runCases: HostileCase[] = [
  {
    name: 'RUN escapes the chroot the classic way (chroot into a subdirectory without chdir, climb, chroot .)',
    given: (v) => ({
      perl: true,
      dockerfile: `${base}RUN perl -e 'mkdir "/jail"; chroot "/jail" or die "chroot: $!"; chdir ".." for 1..64; chroot "." or die "chroot .: $!"; if (-e "${v.secretFile}") { print "SAW-HOST\\n"; open(F, ">", "${v.dir}/pwned"); print F "pwned"; } else { print "contained\\n"; }'\n`,
    }),
    want: { kind: 'builds', output: /contained/ },
  },
  {
    name: 'RUN reaches for the host through /proc/1, nsenter, unshare, mount, mknod and devmem',
    given: (v) => ({
      dockerfile: [
        base.trimEnd(),
        'RUN set +e; ' +
          [
            `echo pwned > /proc/1/root${v.dir}/pwned`,
            `cat /proc/1/root${v.secretFile}`,
            `nsenter -t 1 -m -- /bin/sh -c 'echo pwned > ${v.dir}/pwned'`,
            `unshare -m -- /bin/sh -c 'echo pwned > ${v.dir}/pwned'`,
            'mount -t tmpfs none /mnt',
            'mount --bind / /mnt',
            'mknod /disk b 8 0 && head -c 512 /disk',
            'devmem 0x1000',
            'echo 1 > /proc/sys/kernel/sysrq',
            `cat /proc/self/environ`,
          ].join(' 2>/dev/null; ') +
          ' 2>/dev/null; true',
        '',
      ].join('\n'),
    }),
    want: { kind: 'builds' },
  },
  {
    name: 'RUN leaves processes behind (background, setsid, nohup, double fork): all killed when the step ends',
    given: () => ({
      dockerfile: `${base}RUN (sleep 7319 &) ; setsid sleep 7320 & nohup sh -c 'sleep 7321' >/dev/null 2>&1 & sh -c '(sleep 7319 &) &' ; echo started\n`,
    }),
    want: { kind: 'builds' },
  },
  {
    name: 'RUN writes to /etc/hosts and /etc/resolv.conf: the host files stay as they are',
    given: () => ({
      dockerfile: `${base}RUN echo 6.6.6.6 evil >> /etc/hosts; echo nameserver 6.6.6.6 >> /etc/resolv.conf; true\n`,
    }),
    want: { kind: 'builds' },
  },
  {
    name: 'RUN writes into a read-write bind mount of the context: the context on the host stays as it is',
    given: () => ({
      files: { 'keep.txt': 'keep' },
      dockerfile: `${base}RUN --mount=type=bind,target=/ctx,rw echo pwned > /ctx/keep.txt && echo pwned > /ctx/new.txt\n`,
    }),
    want: { kind: 'builds' },
  },
];

const deepPath = Array.from({ length: 1000 }, () => 'd').join('/');

const hugeCases: HostileCase[] = [
  {
    name: 'the same layer twice below a RUN: two WORKDIRs of one directory (was an overlay mount error)',
    given: () => ({ dockerfile: `${base}WORKDIR /a\nWORKDIR /a\nWORKDIR /a\nRUN echo ran in $(pwd)\n` }),
    want: { kind: 'builds', output: /ran in \/a/ },
  },
  {
    name: 'the same layer twice below a RUN: one file copied twice',
    given: () => ({
      files: { 'f.txt': 'same' },
      dockerfile: `${base}COPY f.txt /f\nCOPY f.txt /f\nRUN cat /f\n`,
    }),
    want: { kind: 'builds', output: /same/ },
  },
  {
    name: 'a Dockerfile of 2 000 instructions',
    given: () => ({
      dockerfile: `${base}${Array.from(
        { length: 2000 },
        (_, i) => [`ENV E${i}=v${i}`, `LABEL l${i}=x`, `ARG A${i}=${i}`, `WORKDIR /w/${i % 40}`][i % 4],
      ).join('\n')}\nRUN echo last $E1996 $A1998\n`,
    }),
    want: { kind: 'builds', output: /last v1996 1998/ },
  },
  {
    name: 'a RUN command of 1 MiB (more than one exec argument may hold)',
    given: () => ({
      dockerfile: `${base}RUN ${Array.from({ length: 20_000 }, () => 'echo 0123456789012345678901234567890123456789012345;').join(' \\\n')}\n`,
    }),
    want: {
      kind: 'fails',
      error: BuildStepError,
      message:
        /^Dockerfile:3: the RUN sandbox could not start the command: exec \/bin\/sh: Argument list too long/,
    },
  },
  {
    name: 'a context 1 000 directories deep',
    given: () => ({
      files: { [`${deepPath}/leaf`]: 'deep' },
      dockerfile: `${base}COPY d /d\nRUN cat /d/${deepPath.slice(2)}/leaf\n`,
    }),
    want: { kind: 'builds', output: /deep/ },
  },
];

describe('overlay stacks', () => {
  it('more distinct layers than overlayfs can stack is a one-line BuildStepError', () => {
    const dirs = Array.from({ length: maxLowerLayers + 1 }, (_, i) => `/work/layers/${i}`);
    expect(() => lowerOption(dirs)).toThrow(BuildStepError);
    expect(() => lowerOption(dirs)).toThrow(
      /^the root filesystem has 501 distinct layers, more than the 500 overlayfs can stack$/,
    );
    expect(lowerOption([...dirs.slice(0, 3), dirs[0]!, dirs[1]!]).lowers).toBe('0:1:2');
  });
});

describe.each([
  ['hostile archives', archiveCases],
  ['context symlinks', contextCases],
  ['destinations through symlinks', destinationCases],
  ['RUN steps', runCases],
  ['huge and repetitive Dockerfiles', hugeCases],
] as const)('%s', (_group, cases) => {
  test.each(cases)('$name', async ({ name, given, want }) => {
    const { files, dockerfile, perl } = given(victim);
    const ctx = builds.context(name.replace(/[^a-z0-9]+/gi, '-'), files ?? {}, { perl: perl ?? false });
    const contextBefore = snapshotHost({ dirs: [ctx], files: [], processMarkers: [] });
    const before = snapshotHost(victim.watch);
    builds.output.length = 0;
    const outcome = await builds.build(ctx, dockerfile);
    expect(hostChanges(before, snapshotHost(victim.watch))).toEqual([]);
    expect(builds.output.join('')).not.toContain(victim.secret);
    expect(builds.t.logger.text()).not.toContain(victim.secret);
    expect(hostChanges(contextBefore, snapshotHost({ dirs: [ctx], files: [], processMarkers: [] }))).toEqual(
      [],
    );
    await checkOutcome(outcome, want);
  });
});

async function checkOutcome(outcome: BuildOutcome, want: Want): Promise<void> {
  if (want.kind === 'fails') {
    const error = outcome.kind === 'failed' ? outcome.error : undefined;
    expect(error).toBeInstanceOf(want.error);
    const message = (error as ImageBuildError).userMessage();
    expect(message).toMatch(want.message);
    expect(message.split('\n')).toHaveLength(1);
    return;
  }
  if (outcome.kind === 'failed') throw outcome.error;
  const tars = await builds.layerTars(outcome.result);
  for (const tar of tars) expect(tar.includes(victim.secret)).toBe(false);
  want.topLayer?.(await builds.topLayerListing(outcome.result), victim);
  if (want.output) expect(builds.output.join('')).toMatch(want.output);
}
