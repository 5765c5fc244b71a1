/**
 * How image-build runs the few operations that need root (mounts, namespaces, device nodes, chown): directly when
 * we are root, through `sudo -n` when we are not (GitHub-hosted runners allow passwordless sudo).
 */
export interface Privilege {
  /** `userns`: we are "root" inside a user namespace we created (rootless builds). */
  readonly mode: 'root' | 'sudo' | 'userns';
  /** Prefixes a host command so it runs as root. */
  wrap(argv: readonly string[]): string[];
  /**
   * Where overlayfs keeps its metadata (opaque directories): `trusted.overlay.` for real root; in a user
   * namespace only `user.overlay.` is writable, with the `userxattr` mount option.
   */
  readonly overlayXattrPrefix: 'trusted.overlay.' | 'user.overlay.';
}

export const rootPrivilege: Privilege = {
  mode: 'root',
  wrap: (argv) => [...argv],
  overlayXattrPrefix: 'trusted.overlay.',
};

export const sudoPrivilege: Privilege = {
  mode: 'sudo',
  wrap: (argv) => ['sudo', '-n', '--', ...argv],
  overlayXattrPrefix: 'trusted.overlay.',
};

/** Rootless: the process was re-run inside `unshare --user --map-auto --map-root-user` (see run-as-root.ts). */
export const usernsPrivilege: Privilege = {
  mode: 'userns',
  wrap: (argv) => [...argv],
  overlayXattrPrefix: 'user.overlay.',
};

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
