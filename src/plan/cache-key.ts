import { sha256, type Digest } from '../oci/digest.js';

/** A JSON value; cache key inputs are plain data so they can be stored and compared to explain misses. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * What a step's cache key is made of, by name: `parent` (the key of the filesystem it runs on), `op`, and the
 * op's own inputs (command, env, user, files checksum…). Stored next to each cached step.
 */
export type KeyInputs = { readonly [key: string]: Json };

/**
 * Canonical JSON: object keys sorted, no whitespace. JSON string escaping frames every value, so no two
 * different inputs serialise the same (the `-`-join collisions kaniko had cannot happen).
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonicalJson).join(',')}]`;
  const obj = value as { readonly [key: string]: Json };
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k]!)}`).join(',')}}`;
}

/** The cache key of a step: sha256 of its canonical inputs, versioned so a format change invalidates old keys. */
export function stepKey(inputs: KeyInputs): Digest {
  return sha256(`image-build.step.v1\n${canonicalJson(inputs)}`);
}

/** One input that differs between a cached step and this build's. */
export interface KeyChange {
  /** Dotted path of the input (`env.NODE_ENV`, `files./app/package.json`, `args`). */
  readonly input: string;
  readonly before: Json | undefined;
  readonly after: Json | undefined;
}

/** The inputs that changed, most specific first within objects (a changed env var, not the whole env). */
export function diffInputs(before: Json | undefined, after: Json | undefined, path = ''): KeyChange[] {
  if (
    canonicalJson(before ?? null) === canonicalJson(after ?? null) &&
    (before === undefined) === (after === undefined)
  )
    return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffInputs(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ input: path || '(all)', before, after }];
}

function isObject(v: Json | undefined): v is { readonly [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
