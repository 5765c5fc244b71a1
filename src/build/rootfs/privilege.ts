/**
 * How image-build runs the few operations that need root (mounts, namespaces, device nodes, chown): directly when
 * we are root, through `sudo -n` when we are not (GitHub-hosted runners allow passwordless sudo).
 */
export interface Privilege {
  readonly mode: 'root' | 'sudo';
  /** Prefixes a host command so it runs as root. */
  wrap(argv: readonly string[]): string[];
}

export const rootPrivilege: Privilege = { mode: 'root', wrap: (argv) => [...argv] };

export const sudoPrivilege: Privilege = { mode: 'sudo', wrap: (argv) => ['sudo', '-n', '--', ...argv] };

/** Docker's default capability set (moby/oci caps), by capability number. */
export const defaultCapabilities: readonly number[] = [
  0, // CAP_CHOWN
  1, // CAP_DAC_OVERRIDE
  3, // CAP_FOWNER
  4, // CAP_FSETID
  5, // CAP_KILL
  6, // CAP_SETGID
  7, // CAP_SETUID
  8, // CAP_SETPCAP
  10, // CAP_NET_BIND_SERVICE
  13, // CAP_NET_RAW
  18, // CAP_SYS_CHROOT
  27, // CAP_MKNOD
  29, // CAP_AUDIT_WRITE
  31, // CAP_SETFCAP
];
