/**
 * Field-level validation shared by the manifest codec: descriptors, platforms and typed JSON accessors, all
 * reporting ManifestFormatError with the location of the bad value.
 */
import { InternalError } from '../errors.js';
import { isDigest } from './digest.js';
import type { Descriptor, Platform } from './types.js';

/** Content that is not a valid manifest, index or config. `source` names where it came from. */
export class ManifestFormatError extends InternalError {
  constructor(
    readonly source: string,
    problem: string,
    hint = 'the image is malformed; rebuild or re-push it with a current Docker, BuildKit or image-build',
  ) {
    super(`${source}: ${problem}`, { hint });
  }
}

/** Validates one descriptor object: mediaType, sha256 digest, non-negative integer size, optional fields. */
export function parseDescriptor(value: unknown, src = 'descriptor'): Descriptor {
  if (!isRecord(value)) throw new ManifestFormatError(src, 'must be a JSON object');
  const mediaType = optionalString(value, 'mediaType', src);
  if (!mediaType) throw new ManifestFormatError(src, 'has no mediaType');
  const digest = value['digest'];
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new ManifestFormatError(
      src,
      `digest ${JSON.stringify(digest)} is not a sha256 digest (sha256:<64 hex>)`,
    );
  }
  const size = value['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ManifestFormatError(src, `size ${JSON.stringify(size)} is not a non-negative integer`);
  }
  const out: { -readonly [K in keyof Descriptor]: Descriptor[K] } = { mediaType, digest, size };
  const urls = value['urls'];
  if (urls !== undefined) out.urls = stringArray(urls, `${src} urls`);
  const annotations = optionalStringMap(value, 'annotations', src);
  if (annotations !== undefined) out.annotations = annotations;
  const data = optionalString(value, 'data', src);
  if (data !== undefined) out.data = data;
  if (value['platform'] !== undefined)
    out.platform = parsePlatformObject(value['platform'], `${src} platform`);
  const artifactType = optionalString(value, 'artifactType', src);
  if (artifactType !== undefined) out.artifactType = artifactType;
  return out;
}

function parsePlatformObject(value: unknown, src: string): Platform {
  if (!isRecord(value)) throw new ManifestFormatError(src, 'must be a JSON object');
  const architecture = optionalString(value, 'architecture', src);
  const os = optionalString(value, 'os', src);
  if (!architecture || !os) throw new ManifestFormatError(src, 'needs both "architecture" and "os"');
  const out: { -readonly [K in keyof Platform]: Platform[K] } = { architecture, os };
  const variant = optionalString(value, 'variant', src);
  if (variant) out.variant = variant;
  const osVersion = optionalString(value, 'os.version', src);
  if (osVersion) out['os.version'] = osVersion;
  if (value['os.features'] !== undefined) out['os.features'] = stringArray(value['os.features'], src);
  if (value['features'] !== undefined) out.features = stringArray(value['features'], src);
  return out;
}

export function parseObject(bytes: Uint8Array | string, src: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new ManifestFormatError(src, `is not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(value)) throw new ManifestFormatError(src, 'must be a JSON object');
  return value;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optionalString(obj: Record<string, unknown>, key: string, src: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new ManifestFormatError(src, `"${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function optionalStringMap(
  obj: Record<string, unknown>,
  key: string,
  src: string,
): Record<string, string> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new ManifestFormatError(src, `"${key}" must map strings to strings`);
  }
  return v as Record<string, string>;
}

export function stringArray(v: unknown, src: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new ManifestFormatError(src, 'must be an array of strings');
  }
  return v as string[];
}
