import { resolve } from 'node:path';
import { InputError } from '../errors.js';

/** Where `--output` writes the image. */
export type OutputTarget =
  /** An OCI image layout directory (created, or added to when it already is one). */
  | { readonly kind: 'oci'; readonly path: string; readonly spec: string }
  /** A `docker save` tar for `docker load` (Docker ≥ 25 layout). */
  | { readonly kind: 'docker'; readonly path: string; readonly spec: string }
  /** A tar of an OCI image layout (`skopeo … oci-archive:FILE`, `podman load`). */
  | { readonly kind: 'oci-archive'; readonly path: string; readonly spec: string };

const kinds = ['oci', 'docker', 'oci-archive'] as const;

/**
 * Parses `oci:DIR`, `docker:FILE` or `oci-archive:FILE` (paths relative to `cwd`). Docker's
 * `type=oci,dest=DIR` form is accepted too, for pasted commands.
 */
export function parseOutput(text: string, cwd: string): OutputTarget {
  const { kind, path } = splitOutput(text);
  if (!(kinds as readonly string[]).includes(kind)) {
    throw new InputError('--output', `unknown output ${JSON.stringify(text)}`, {
      hint: 'use oci:DIR, docker:FILE or oci-archive:FILE',
    });
  }
  if (path === '')
    throw new InputError('--output', `${JSON.stringify(text)} has no path`, { hint: `write ${kind}:PATH` });
  return { kind: kind as OutputTarget['kind'], path: resolve(cwd, path), spec: text };
}

function splitOutput(text: string): { kind: string; path: string } {
  if (/^type=/.test(text)) {
    const fields = new Map(
      text.split(',').map((f) => {
        const eq = f.indexOf('=');
        return [eq < 0 ? f : f.slice(0, eq), eq < 0 ? '' : f.slice(eq + 1)] as const;
      }),
    );
    const extra = [...fields.keys()].filter((k) => k !== 'type' && k !== 'dest');
    if (extra.length > 0)
      throw new InputError(
        '--output',
        `unsupported option ${JSON.stringify(extra[0])} in ${JSON.stringify(text)}`,
        {
          hint: 'only type= and dest= are supported',
        },
      );
    const type = fields.get('type') ?? '';
    return { kind: type === 'tar' ? 'unknown' : type, path: fields.get('dest') ?? '' };
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { kind: 'missing', path: text };
  return { kind: text.slice(0, colon), path: text.slice(colon + 1) };
}
