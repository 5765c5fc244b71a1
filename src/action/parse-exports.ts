import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { splitLines } from './parse-values.js';

/** An extra copy of the image written to the runner's disk (`outputs` input). */
export type ExportTarget =
  | { readonly kind: 'oci'; readonly path: string }
  | { readonly kind: 'oci-archive'; readonly path: string }
  | { readonly kind: 'docker'; readonly path: string };

const accepted = 'oci:DIR, oci-archive:FILE, docker:FILE, or buildx type=oci|docker,dest=PATH[,tar=false]';

/**
 * The `outputs` input, one export per line: `oci:DIR` (an OCI image layout directory), `oci-archive:FILE`,
 * `docker:FILE` (what `docker load` reads), or buildx's `type=docker,dest=FILE` / `type=oci,dest=FILE`
 * (a tar, as in buildx) / `type=oci,dest=DIR,tar=false`. Paths are relative to the workspace.
 */
export function parseExports(text: string, workspace: string): ExportTarget[] {
  return splitLines(text).map((line) => {
    const target = line.startsWith('type=') ? parseBuildxOutput(line) : parseShortForm(line);
    const path = isAbsolute(target.path) ? target.path : resolve(workspace, target.path);
    return { ...target, path };
  });
}

function parseShortForm(line: string): ExportTarget {
  const m = /^(oci|oci-archive|docker):(.+)$/.exec(line);
  if (!m) throw bad(line);
  return { kind: m[1] as ExportTarget['kind'], path: m[2]!.trim() };
}

function parseBuildxOutput(line: string): ExportTarget {
  const fields = new Map<string, string>();
  for (const field of line.split(',')) {
    const at = field.indexOf('=');
    if (at <= 0) throw bad(line);
    fields.set(field.slice(0, at).trim(), field.slice(at + 1).trim());
  }
  const type = fields.get('type');
  const dest = fields.get('dest');
  for (const key of fields.keys()) {
    if (!['type', 'dest', 'tar', 'name'].includes(key)) throw bad(line, `unsupported key "${key}"`);
  }
  if (type === 'registry' || type === 'image') throw bad(line, 'pushing is controlled by the push input');
  if ((type !== 'oci' && type !== 'docker') || !dest) throw bad(line);
  const tar = fields.get('tar') ?? 'true';
  if (tar !== 'true' && tar !== 'false') throw bad(line, `tar must be true or false`);
  if (tar === 'false' && type === 'docker') throw bad(line, 'a Docker archive is always a tar');
  return { kind: type === 'docker' ? 'docker' : tar === 'false' ? 'oci' : 'oci-archive', path: dest };
}

function bad(line: string, why?: string): InputError {
  return new InputError('outputs', `"${line}" is not an export${why ? ` (${why})` : ''}`, {
    hint: `use ${accepted}`,
  });
}
