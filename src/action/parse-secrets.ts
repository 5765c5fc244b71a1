import { isAbsolute, resolve } from 'node:path';
import type { SecretSource } from '../build/types.js';
import { InputError } from '../errors.js';
import { splitLines } from './parse-values.js';

export interface ParsedSecrets {
  readonly secrets: ReadonlyMap<string, SecretSource>;
  /** Secret values read from the input or the environment: the caller masks them before anything is logged. */
  readonly values: readonly string[];
}

const buildxKeys = new Set(['id', 'type', 'src', 'source', 'env']);

/**
 * The `secrets` input, one secret per line, in either form:
 * - buildx's `id=ID[,src=FILE|,env=VAR][,type=file|env]`: a file (relative to the workspace) or an environment
 *   variable; `id=ID` alone reads the environment variable ID;
 * - build-push-action's `NAME=value`: the value itself.
 * A line is buildx's form when its first field is one of id, type, src, source, env.
 */
export function parseSecrets(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  workspace: string,
): ParsedSecrets {
  const secrets = new Map<string, SecretSource>();
  const values: string[] = [];
  for (const [index, line] of splitLines(text).entries()) {
    const at = line.indexOf('=');
    const firstKey = at < 0 ? '' : line.slice(0, at).trim().toLowerCase();
    if (at <= 0) throw malformed(index);
    if (!buildxKeys.has(firstKey)) {
      const value = line.slice(at + 1);
      secrets.set(line.slice(0, at).trim(), { kind: 'value', value });
      values.push(value);
      continue;
    }
    const spec = parseBuildxSecret(line, index);
    if (spec.src !== undefined) {
      secrets.set(spec.id, {
        kind: 'file',
        path: isAbsolute(spec.src) ? spec.src : resolve(workspace, spec.src),
      });
      continue;
    }
    const variable = spec.env ?? spec.id;
    const value = env[variable];
    if (value === undefined) {
      throw new InputError(
        'secrets',
        `secret "${spec.id}" reads environment variable ${variable}, which is not set`,
        {
          hint: `set ${variable} in the step's env (env: ${variable}: \${{ secrets.… }})`,
        },
      );
    }
    secrets.set(spec.id, { kind: 'value', value });
    values.push(value);
  }
  return { secrets, values };
}

interface BuildxSecret {
  readonly id: string;
  readonly src?: string;
  readonly env?: string;
}

function parseBuildxSecret(line: string, index: number): BuildxSecret {
  let id = '';
  let type: string | undefined;
  let src: string | undefined;
  let env: string | undefined;
  for (const field of line.split(',')) {
    const at = field.indexOf('=');
    if (at <= 0) throw malformed(index);
    const key = field.slice(0, at).trim().toLowerCase();
    const value = field.slice(at + 1).trim();
    if (key === 'id') id = value;
    else if (key === 'src' || key === 'source') src = value;
    else if (key === 'env') env = value;
    else if (key === 'type') type = value;
    else throw malformed(index, `unknown key "${key}"`);
  }
  if (type !== undefined && type !== 'file' && type !== 'env')
    throw malformed(index, `unknown type "${type}"`);
  if (type === 'env' && env === undefined && src !== undefined) [env, src] = [src, undefined];
  if (id === '') throw malformed(index, 'no id=');
  if (src !== undefined && env !== undefined) throw malformed(index, 'both src= and env=');
  return { id, ...(src !== undefined ? { src } : {}), ...(env !== undefined ? { env } : {}) };
}

/** Names the entry by position, never by content: the line may hold the secret itself. */
function malformed(index: number, why?: string): InputError {
  const what = why ? ` (${why})` : '';
  return new InputError('secrets', `entry ${index + 1} is not a secret definition${what}`, {
    hint: 'write id=ID,src=FILE or id=ID,env=VARIABLE (buildx) or NAME=value (build-push-action), one per line',
  });
}
