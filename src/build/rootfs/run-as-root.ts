import { spawn, spawnSync } from 'node:child_process';

/**
 * How this process can get the root privileges a build needs (mounts, namespaces, chown to any owner):
 * already root; through passwordless `sudo -n` (GitHub-hosted runners); or not at all, with the reason.
 */
export type RootAccess =
  { readonly kind: 'root' } | { readonly kind: 'sudo' } | { readonly kind: 'none'; readonly reason: string };

export function detectRootAccess(uid: number = process.getuid?.() ?? -1): RootAccess {
  if (uid === 0) return { kind: 'root' };
  const probe = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (probe.error) return { kind: 'none', reason: 'sudo is not installed' };
  if (probe.status !== 0) return { kind: 'none', reason: 'sudo needs a password (sudo -n failed)' };
  return { kind: 'sudo' };
}

/** The one-line explanation when no root access is possible. */
export function noRootMessage(reason: string): string {
  return (
    `building needs root (overlay mounts and namespaces for RUN steps), and ${reason}: ` +
    'run as root, allow passwordless sudo for this user, or run inside a container started with --privileged'
  );
}

/**
 * Runs this same Node program again under `sudo -n`, keeping the environment (GITHUB_* files, INPUT_*, PATH),
 * forwarding SIGINT/SIGTERM, and resolves with its exit code. The caller exits with it.
 */
export function rerunUnderSudo(argv: readonly string[], marker: string): Promise<number> {
  const args = [
    '-n',
    '-E',
    '--',
    'env',
    `PATH=${process.env['PATH'] ?? ''}`,
    `${marker}=1`,
    process.execPath,
    ...argv,
  ];
  const child = spawn('sudo', args, { stdio: 'inherit' });
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
