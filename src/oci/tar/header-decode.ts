import { TarError } from './errors.js';
import {
  blockSize,
  computeChecksums,
  type Field,
  fieldBytes,
  fieldLatin1,
  Fields,
  gnuMagic,
  gnuVersion,
  parseNumeric,
  starTrailer,
  ustarMagic,
} from './format.js';

export type TarFormat = 'ustar' | 'gnu' | 'star' | 'v7';

/** The fields of one header block, before PAX records and GNU long names are applied. */
export interface RawHeader {
  readonly format: TarFormat;
  readonly typeflag: string;
  /** The name, with the ustar/star prefix joined on. */
  readonly name: Buffer;
  readonly linkname: Buffer;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly uname: Buffer;
  readonly gname: Buffer;
  readonly devmajor: number;
  readonly devminor: number;
}

/** Which tar dialect a header block is written in (the rules Go's archive/tar applies). */
export function formatOf(block: Uint8Array): TarFormat {
  const magic = fieldLatin1(block, Fields.magic);
  if (magic === ustarMagic) return fieldLatin1(block, Fields.starTrailer) === starTrailer ? 'star' : 'ustar';
  if (magic === gnuMagic && fieldLatin1(block, Fields.version) === gnuVersion) return 'gnu';
  return 'v7';
}

/** True when the block's stored checksum matches (unsigned or signed sum): it looks like a tar header. */
export function hasValidChecksum(block: Uint8Array): boolean {
  if (block.length < blockSize) return false;
  const stored = parseNumeric(block, Fields.checksum);
  if (stored === undefined) return false;
  const { unsigned, signed } = computeChecksums(block);
  return stored === unsigned || stored === signed;
}

/** Decodes a (non-zero) header block; throws TarError for a bad checksum or a malformed numeric field. */
export function decodeHeaderBlock(block: Buffer, offset: number): RawHeader {
  if (!hasValidChecksum(block)) {
    const what = offset === 0 ? 'not a tar archive' : 'invalid tar header';
    throw new TarError('checksum', `${what}: header checksum mismatch at offset ${offset}`, { offset });
  }
  const format = formatOf(block);
  const number = (f: Field, name: string): number => {
    const v = parseNumeric(block, f);
    if (v === undefined) {
      const raw = JSON.stringify(fieldLatin1(block, f).replace(/\0+$/, ''));
      throw new TarError('malformed', `invalid tar header at offset ${offset}: bad ${name} field ${raw}`, {
        offset,
      });
    }
    return v;
  };
  const hasUstarFields = format !== 'v7';
  let name = fieldBytes(block, Fields.name);
  if (format === 'ustar' || format === 'star') {
    const prefix = fieldBytes(block, format === 'star' ? Fields.starPrefix : Fields.prefix);
    if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
  }
  return {
    format,
    typeflag: String.fromCharCode(block[Fields.typeflag.offset]!),
    name: Buffer.from(name),
    linkname: Buffer.from(fieldBytes(block, Fields.linkname)),
    mode: number(Fields.mode, 'mode'),
    uid: number(Fields.uid, 'uid'),
    gid: number(Fields.gid, 'gid'),
    size: number(Fields.size, 'size'),
    mtime: number(Fields.mtime, 'mtime'),
    uname: hasUstarFields ? Buffer.from(fieldBytes(block, Fields.uname)) : Buffer.alloc(0),
    gname: hasUstarFields ? Buffer.from(fieldBytes(block, Fields.gname)) : Buffer.alloc(0),
    devmajor: hasUstarFields ? number(Fields.devmajor, 'devmajor') : 0,
    devminor: hasUstarFields ? number(Fields.devminor, 'devminor') : 0,
  };
}
