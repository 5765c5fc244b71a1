import { spawn, spawnSync } from 'node:child_process';

/**
 * How this process can get the root privileges a build needs (mounts, namespaces, chown to any owner):
 * already root; through passwordless `sudo -n` (GitHub-hosted runners); inside a user namespace of our own
 * (rootless: needs newuidmap and a /etc/subuid range, and a kernel that allows it — not ubuntu-24.04's default
 * AppArmor policy); or not at all, with the reason.
 */
export type RootAccess =
  | { readonly kind: 'root' }
  | { readonly kind: 'sudo' }
  | { readonly kind: 'userns' }
  | { readonly kind: 'none'; readonly reason: string };

/** The user namespace a rootless build runs in: our uid is root, the /etc/subuid range maps the rest. */
export const usernsUnshareArgs = [
  '--user',
  '--map-auto',
  '--map-root-user',
  '--mount',
  '--propagation',
  'private',
];

export function detectRootAccess(uid: number = process.getuid?.() ?? -1): RootAccess {
  if (uid === 0) return { kind: 'root' };
  const reasons: string[] = [];
  const probe = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (!probe.error && probe.status === 0) return { kind: 'sudo' };
  reasons.push(probe.error ? 'sudo is not installed' : 'sudo needs a password');
  const userns = spawnSync('unshare', [...usernsUnshareArgs, 'true'], { stdio: 'ignore' });
  if (!userns.error && userns.status === 0) return { kind: 'userns' };
  reasons.push('user namespaces are not available (kernel policy, or no /etc/subuid range and newuidmap)');
  return { kind: 'none', reason: reasons.join(', and ') };
}

/** The one-line explanation when no root access is possible. */
export function noRootMessage(reason: string): string {
  return (
    `building needs root (overlay mounts and namespaces for RUN steps), and ${reason}: ` +
    'run as root, allow passwordless sudo for this user, give the user a /etc/subuid range (with newuidmap ' +
    'installed) for rootless builds, or run inside a container started with --privileged'
  );
}

/**
 * Runs this same Node program again under `sudo -n`, keeping the environment (GITHUB_* files, INPUT_*, PATH),
 * forwarding SIGINT/SIGTERM, and resolves with its exit code. The caller exits with it.
 */
export function rerunUnderSudo(argv: readonly string[], marker: string): Promise<number> {
  return rerun('sudo', [
    '-n',
    '-E',
    '--',
    'env',
    `PATH=${process.env['PATH'] ?? ''}`,
    `${marker}=1`,
    process.execPath,
    ...argv,
  ]);
}

/** Runs this same Node program again as "root" in a new user namespace (rootless builds); `marker=userns`. */
export function rerunInUserNamespace(argv: readonly string[], marker: string): Promise<number> {
  return rerun('unshare', [...usernsUnshareArgs, '--', 'env', `${marker}=userns`, process.execPath, ...argv]);
}

function rerun(cmd: string, args: readonly string[]): Promise<number> {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals): void => {
    child.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
    child.on('error', () => resolve(1));
  });
}
