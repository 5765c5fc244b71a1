/** The `RUN --mount` types: the parse-time CSV form and the typed union after expansion. */

export interface MountField {
  /** The field as written (`target=/x`, `ro`). */
  readonly text: string;
  /** The key, lower-cased. */
  readonly key: string;
  /** The value after the first `=`, or undefined for a bare key (`ro`, `required`). */
  readonly value: string | undefined;
}

export interface MountFlag {
  /** The flag value as written after `--mount=`. */
  readonly raw: string;
  readonly fields: readonly MountField[];
}

export type CacheSharing = 'shared' | 'private' | 'locked';

/** Read-only unless `rw`. `target` may be relative (joined to WORKDIR) or empty (WORKDIR itself). */
export interface BindMount {
  readonly type: 'bind';
  readonly target: string;
  /** Path inside `from` (or the build context); defaults to its root. */
  readonly source: string | undefined;
  /** Stage name, image or named context; undefined means the build context. */
  readonly from: string | undefined;
  readonly readOnly: boolean;
}

export interface CacheMount {
  readonly type: 'cache';
  readonly target: string;
  /** Defaults to the (cleaned, absolute) target; the builder resolves it. */
  readonly id: string | undefined;
  readonly sharing: CacheSharing;
  readonly from: string | undefined;
  readonly source: string | undefined;
  readonly readOnly: boolean;
  /** For a new cache directory: mode (0755), uid (0), gid (0). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface TmpfsMount {
  readonly type: 'tmpfs';
  readonly target: string;
  /** Upper size limit in bytes; undefined means unlimited. */
  readonly sizeBytes: number | undefined;
  readonly readOnly: boolean;
}

export interface SecretMount {
  readonly type: 'secret';
  /** `source`, else `id`, else the target's base name. */
  readonly id: string;
  /** `/run/secrets/<id>` unless `env` is set without a target. */
  readonly target: string | undefined;
  /** Also (or only) expose the secret as this environment variable. */
  readonly env: string | undefined;
  readonly required: boolean;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface SshMount {
  readonly type: 'ssh';
  readonly id: string;
  /** Undefined means `/run/buildkit/ssh_agent.<n>`, n counting the step's ssh mounts. */
  readonly target: string | undefined;
  readonly required: boolean;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export type Mount = BindMount | CacheMount | TmpfsMount | SecretMount | SshMount;
export type MountType = Mount['type'];
