/**
 * A tiny but real Linux userland for RUN tests: Debian's statically linked busybox (package busybox-static) with
 * its applets linked under /bin, plus /etc/passwd and /etc/group with a few users. No network, no base image pull.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export const busyboxPath = '/bin/busybox';

export const passwd = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bob:x:1000:1000:Bob:/home/bob:/bin/sh',
  'alice:x:1001:1001::/home/alice:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
].join('\n');

export const group = [
  'root:x:0:',
  'daemon:x:1:',
  'staff:x:50:bob,alice',
  'bob:x:1000:',
  'alice:x:1001:',
  'audio:x:29:bob',
  'nogroup:x:65534:',
].join('\n');

/** Fills `dir` with the busybox userland; returns the applet names. */
export function writeBusyboxRootfs(dir: string): string[] {
  for (const d of ['bin', 'etc', 'tmp', 'root', 'home/bob', 'var', 'usr/bin'])
    mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  chmodSync(join(dir, 'root'), 0o700);
  copyFileSync(busyboxPath, join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync(busyboxPath, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc/passwd'), passwd + '\n');
  writeFileSync(join(dir, 'etc/group'), group + '\n');
  return applets;
}
