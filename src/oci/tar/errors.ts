import { BuildStepError, type ErrorDetails } from '../../errors.js';

/** Why a tar could not be read or written; callers may branch on it, users read the message. */
export type TarErrorReason =
  'truncated' | 'checksum' | 'malformed' | 'unsupported' | 'limit' | 'invalid-header' | 'size-mismatch';

const defaultHints: Readonly<Record<TarErrorReason, string>> = {
  truncated: 'the archive is incomplete; download or create it again',
  checksum: 'the archive is corrupt or not a tar file',
  malformed: 'the archive is corrupt; recreate it with GNU tar or bsdtar',
  unsupported: 'recreate the archive with `tar --format=pax` (without --sparse)',
  limit: 'the archive has oversized metadata and may be hostile; recreate it with GNU tar --format=pax',
  'invalid-header': 'this is a bug in the caller of the tar writer; please report it',
  'size-mismatch': 'the file changed while it was being archived; run the build again',
};

/**
 * A tar archive that cannot be read (corrupt, truncated, hostile, unsupported) or an entry that cannot be
 * written. A build step meets it when it unpacks a layer or ADDs an archive, hence a BuildStepError.
 */
export class TarError extends BuildStepError {
  readonly reason: TarErrorReason;
  /** Byte offset in the (uncompressed) tar stream of the header concerned, when known. */
  readonly offset: number | undefined;

  constructor(
    reason: TarErrorReason,
    message: string,
    details: ErrorDetails & { readonly offset?: number } = {},
  ) {
    super(message, { ...details, hint: details.hint ?? defaultHints[reason] });
    this.reason = reason;
    this.offset = details.offset;
  }
}
