import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootPrivilege } from '../../../src/build/rootfs/privilege.js';
import {
  installSandboxScript,
  runInSandbox,
  type RunRequest,
  type SandboxHost,
} from '../../../src/build/rootfs/sandbox.js';
import { writeBusyboxRootfs } from '../../helpers/busybox-rootfs.js';

let base: string;
let host: SandboxHost;
let lower: string;
let stepNo = 0;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ib-sandbox-'));
  lower = join(base, 'layers', 'base');
  mkdirSync(lower, { recursive: true });
  writeBusyboxRootfs(lower);
  mkdirSync(join(lower, 'data/keep'), { recursive: true });
  writeFileSync(join(lower, 'data/keep/old'), 'old\n');
  writeFileSync(join(lower, 'data/gone'), 'gone\n');
  host = {
    privilege: rootPrivilege,
    hostEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    scriptPath: join(base, 'sandbox.pl'),
  };
  await installSandboxScript(host.scriptPath);
  writeFileSync(join(base, 'hosts'), '127.0.0.1\tlocalhost buildkitsandbox\n');
  writeFileSync(join(base, 'resolv.conf'), 'nameserver 127.0.0.53\n');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Step {
  upper: string;
  out: string;
  outcome: Awaited<ReturnType<typeof runInSandbox>>;
}

async function run(script: string, over: Partial<RunRequest> = {}): Promise<Step> {
  const dir = join(base, `step-${++stepNo}`);
  for (const d of ['upper', 'work', 'mnt', 'scratch']) mkdirSync(join(dir, d), { recursive: true });
  let out = '';
  const outcome = await runInSandbox(host, {
    rootfs: {
      mountpoint: join(dir, 'mnt'),
      lowers: [lower],
      upper: join(dir, 'upper'),
      work: join(dir, 'work'),
    },
    argv: ['/bin/sh', '-c', script],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    cwd: '/',
    user: '',
    network: 'default',
    hostname: 'buildkitsandbox',
    hostsFile: join(base, 'hosts'),
    resolvConfFile: join(base, 'resolv.conf'),
    mounts: [],
    scratchDir: join(dir, 'scratch'),
    onOutput: (c) => {
      out += c.toString();
    },
    ...over,
  });
  return { upper: join(dir, 'upper'), out, outcome };
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(dir));
}

describe('RUN sandbox', () => {
  it('runs as root in the rootfs and leaves only the command’s changes in the upper dir', async () => {
    const s = await run('id; pwd; hostname; echo made > /made; cat /etc/hosts');
    expect(s.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(s.out).toContain('uid=0(root) gid=0(root)');
    expect(s.out).toContain('buildkitsandbox');
    // /etc gained the hosts/resolv.conf mountpoint stubs: they are gone, and /etc's times are restored, so the
    // snapshot can tell the copied-up directory is unchanged. The image lacked /dev, /proc and /sys: like runc
    // under BuildKit (moby/buildkit#3455), the sandbox creates those mountpoints and they stay, empty.
    expect(readdirSync(s.upper).sort()).toEqual(['dev', 'etc', 'made', 'proc', 'sys']);
    for (const d of ['dev', 'proc', 'sys']) expect(readdirSync(join(s.upper, d))).toEqual([]);
    expect(readdirSync(join(s.upper, 'etc'))).toEqual([]);
    expect(lstatSync(join(s.upper, 'etc')).mtimeMs).toBe(lstatSync(join(lower, 'etc')).mtimeMs);
    expect(mountsUnder(base)).toEqual([]);
  });

  it('mounts /etc/hosts and /etc/resolv.conf read-only, as BuildKit does: a step cannot redirect later lookups', async () => {
    const s = await run(
      'echo 6.6.6.6 evil >> /etc/hosts; echo "hosts=$?"; echo nameserver 6.6.6.6 >> /etc/resolv.conf; echo "resolv=$?"; grep -c evil /etc/hosts',
    );
    expect(s.out).toMatch(/Read-only file system/);
    expect(s.out).toMatch(/hosts=[1-9]/);
    expect(s.out).toMatch(/resolv=[1-9]/);
    expect(s.out.trimEnd().split('\n').at(-1)).toBe('0');
  });

  const users = [
    {
      name: 'named user gets passwd gid, /etc/group memberships and HOME',
      user: 'bob',
      want: 'uid=1000 gid=1000 groups=29,50,1000 home=/home/bob',
    },
    {
      name: 'explicit group drops supplementary groups',
      user: 'bob:staff',
      want: 'uid=1000 gid=50 groups=50 home=/home/bob',
    },
    {
      name: 'numeric user without passwd entry gets gid 0 and HOME /',
      user: '4242',
      want: 'uid=4242 gid=0 groups=0 home=/',
    },
    { name: 'numeric uid:gid', user: '1001:1000', want: 'uid=1001 gid=1000 groups=1000 home=/home/alice' },
  ];
  it.each(users)('$name', async ({ user, want }) => {
    const s = await run(
      'echo "uid=$(id -u) gid=$(id -g) groups=$(id -G | tr " " "\\n" | sort -n | tr "\\n" "," | sed "s/,$//") home=$HOME"',
      { user },
    );
    expect(s.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(s.out.trim()).toBe(want.replace(/groups=([\d,]+)/, (_m, g: string) => `groups=${g}`));
  });

  it('fails clearly for an unknown user name', async () => {
    await expect(run('true', { user: 'mallory' })).rejects.toThrow(
      /unable to find user mallory: no matching entries in passwd file/,
    );
  });

  it('passes env and cwd exactly, and reports the exit code', async () => {
    const s = await run('echo "$FOO|$(pwd)"; exit 3', { env: ['FOO=a b=c', 'PATH=/bin'], cwd: '/data/keep' });
    expect(s.outcome).toEqual({ kind: 'exit', code: 3 });
    expect(s.out.trim()).toBe('a b=c|/data/keep');
  });

  it('creates a missing working directory owned by the RUN user', async () => {
    const s = await run('pwd; touch f', { cwd: '/srv/app', user: 'bob' });
    expect(s.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(s.out.trim()).toBe('/srv/app');
    const st = lstatSync(join(s.upper, 'srv/app'));
    expect([st.uid, st.gid]).toEqual([1000, 1000]);
  });

  it('records deletions as overlay whiteouts', async () => {
    const s = await run(
      'rm /data/gone && rm -rf /data/keep && mkdir /data/keep && echo new > /data/keep/new',
    );
    expect(s.outcome).toEqual({ kind: 'exit', code: 0 });
    const wh = lstatSync(join(s.upper, 'data/gone'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    expect(readdirSync(join(s.upper, 'data/keep'))).toEqual(['new']);
  });

  it('kills processes the command leaves behind', async () => {
    const marker = `ib-leftover-${process.pid}`;
    const s = await run(`(exec -a ${marker} sleep 1000) & echo started`);
    expect(s.out).toContain('started');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(marker);
  });

  it('cannot reach the host filesystem, open host devices, or mount', async () => {
    const flag = join(base, 'escaped');
    const s = await run(
      [
        `echo pwned > /proc/1/root${flag} 2>/dev/null && echo ESCAPED-PROC1`,
        'ls /proc/1/root/ >/dev/null 2>&1 && echo SAW-HOST-ROOT',
        'mknod /tmp/disk b 7 0 && (head -c 1 /tmp/disk >/dev/null 2>&1 && echo OPENED-DEVICE); rm -f /tmp/disk',
        'mkdir -p /mnt/x && (mount -t tmpfs none /mnt/x 2>/dev/null && echo MOUNTED)',
        'echo done',
      ].join('\n'),
    );
    expect(s.out).toContain('done');
    expect(s.out).not.toMatch(/ESCAPED|SAW-HOST-ROOT|OPENED-DEVICE|MOUNTED/);
    expect(existsSync(flag)).toBe(false);
  });

  it('network none leaves only loopback', async () => {
    const s = await run('ls /sys/class/net', { network: 'none' });
    expect(s.out.trim().split(/\s+/)).toEqual(['lo']);
  });

  it('mounts leave no trace in the layer; bind mounts write through to their source', async () => {
    const cache = join(base, 'cache-src');
    const secret = join(base, 'secret-src');
    mkdirSync(cache, { recursive: true });
    writeFileSync(secret, 's3cr3t');
    const s = await run(
      'cat /run/secrets/tok; echo; echo kept > /var/cache/x/hit; echo scratch > /work/t; ls /work',
      {
        mounts: [
          { kind: 'bind', source: secret, target: '/run/secrets/tok', readonly: true, file: true },
          { kind: 'bind', source: cache, target: '/var/cache/x', readonly: false, file: false },
          { kind: 'tmpfs', target: '/work', options: 'size=1m' },
        ],
      },
    );
    expect(s.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(s.out).toContain('s3cr3t');
    expect(readFileSync(join(cache, 'hit'), 'utf8')).toBe('kept\n');
    // /var existed in the image and gets copied up by the stub's parent; the stubs themselves are gone.
    expect(existsSync(join(s.upper, 'run'))).toBe(false);
    expect(existsSync(join(s.upper, 'work'))).toBe(false);
    expect(existsSync(join(s.upper, 'var/cache'))).toBe(false);
  });

  it('a read-only bind mount cannot be written', async () => {
    const src = join(base, 'ro-src');
    mkdirSync(src, { recursive: true });
    const s = await run('echo x > /ro/file', {
      mounts: [{ kind: 'bind', source: src, target: '/ro', readonly: true, file: false }],
    });
    expect(s.outcome.kind === 'exit' && s.outcome.code).not.toBe(0);
    expect(readdirSync(src)).toEqual([]);
  });

  it('an abort kills the step and tears everything down', async () => {
    const ac = new AbortController();
    const p = run('echo started; sleep 1000', { signal: ac.signal });
    setTimeout(() => ac.abort(), 500);
    await expect(p).rejects.toThrow(/interrupted/);
    expect(mountsUnder(base)).toEqual([]);
  });
});
