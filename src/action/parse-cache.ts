import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { parseReference, type Reference } from '../registry/reference.js';
import { parseBoolean, parseChoice } from './parse-values.js';

export const cacheBackends = ['gha', 'local', 'registry'] as const;
export type CacheBackendName = (typeof cacheBackends)[number];

/** The cross-run layer cache the run asked for (`cache`, `cache-backend`, `cache-path`, `cache-ref`). */
export type CacheSetting =
  | { readonly kind: 'off' }
  | { readonly kind: 'gha' }
  | { readonly kind: 'local'; readonly path: string }
  /**
   * `reference` undefined: the first image's repository. `tagPrefix`: the tag written in `cache-ref`, if any
   * (cache tags are `<prefix>-<scope>`).
   */
  | { readonly kind: 'registry'; readonly reference?: Reference; readonly tagPrefix?: string };

export interface CacheInputText {
  readonly cache: string;
  readonly backend: string;
  readonly path: string;
  readonly ref: string;
}

export function parseCacheSetting(text: CacheInputText, workspace: string): CacheSetting {
  const enabled = parseBoolean('cache', text.cache, true);
  const backend = parseChoice('cache-backend', text.backend, cacheBackends, 'gha');
  if (!enabled) return { kind: 'off' };
  switch (backend) {
    case 'gha':
      return { kind: 'gha' };
    case 'local': {
      const path = text.path.trim();
      if (path === '') {
        throw new InputError('cache-path', 'is empty, but cache-backend is local', {
          hint: 'set cache-path to a directory that outlives the job (or use cache-backend: gha)',
        });
      }
      return { kind: 'local', path: isAbsolute(path) ? path : resolve(workspace, path) };
    }
    case 'registry': {
      const ref = text.ref.trim();
      if (ref === '') return { kind: 'registry' };
      const reference = parseReference(ref, { input: 'cache-ref' });
      const explicitTag = /:[^/]*$/.test(ref.split('@')[0]!) ? reference.tag : undefined;
      return { kind: 'registry', reference, ...(explicitTag ? { tagPrefix: explicitTag } : {}) };
    }
  }
}
