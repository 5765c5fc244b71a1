import { createHash, randomBytes } from 'node:crypto';
import { digestHex, type Digest } from '../oci/digest.js';
import { formatPlatform } from '../oci/platform.js';
import type { RunFacts, ScopeFacts } from './types.js';

/**
 * Entry keys. Every key starts with `image-build-`, has no commas and stays far below GitHub's 512 characters.
 *
 * - index: `image-build-index-<scope>-<run>-<attempt>-<nonce>` (unique: keys are immutable, and two jobs of one
 *   run may build the same scope), restored by the prefix `image-build-index-<scope>-`, then the default
 *   branch's scope prefix.
 * - pack: `image-build-pack-<hash of the member digests>` (content-addressed, shared by every scope).
 * - mount: `image-build-mount-<scope>-<mount>-<fingerprint>`.
 */
export const keyPrefix = 'image-build-';

/** The scope id: a hash of ref, platform and Dockerfile path (16 hex digits). */
export function scopeId(facts: ScopeFacts, ref: string = facts.ref): string {
  const text = JSON.stringify([
    'image-build.scope.v1',
    ref,
    formatPlatform(facts.platform),
    facts.dockerfile,
  ]);
  return shortHash(text);
}

/** Scope ids to restore from, best first: this ref's, then the default branch's (when it is another ref). */
export function restoreScopes(
  facts: ScopeFacts,
): { readonly id: string; readonly from: 'scope' | 'default-branch' }[] {
  const own = { id: scopeId(facts), from: 'scope' as const };
  if (facts.defaultRef === undefined || facts.defaultRef === facts.ref) return [own];
  return [own, { id: scopeId(facts, facts.defaultRef), from: 'default-branch' as const }];
}

export function indexPrefix(scope: string): string {
  return `${keyPrefix}index-${scope}-`;
}

/** `nonce`: time and randomness of the saving process (`indexNonce`), so no two saves share a key. */
export function indexKey(scope: string, run: RunFacts, nonce: string): string {
  return `${indexPrefix(scope)}${sanitize(run.id)}-${run.attempt}-${sanitize(nonce)}`;
}

export function indexNonce(nowMs: number): string {
  return `${nowMs.toString(36)}${randomBytes(3).toString('hex')}`;
}

export function packKey(members: readonly Digest[], salt = ''): string {
  const h = createHash('sha256');
  for (const d of [...members].sort()) h.update(`${digestHex(d)}\n`);
  return `${keyPrefix}pack-${h.digest('hex').slice(0, 32)}${salt ? `-${sanitize(salt)}` : ''}`;
}

export function mountKey(scope: string, mountId: string, fingerprint: string): string {
  return `${keyPrefix}mount-${scope}-${shortHash(mountId)}-${fingerprint.slice(0, 16)}`;
}

/** Registry tag holding a scope's cache manifest: `<prefix>-<scope>` (the prefix is the cache-ref's tag, if any). */
export function registryTag(scope: string, prefix = 'image-build-cache'): string {
  return `${prefix}-${scope}`.slice(0, 128);
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Run ids come from the environment; keep keys to `[A-Za-z0-9._-]`. */
function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}
