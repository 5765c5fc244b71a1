/**
 * `--secret` specs as docker buildx reads them: CSV fields `id=`, `src=`/`source=`, `env=`, `type=file|env`.
 * `type=env,src=X` means the variable X. Without src and env, the variable named like the id is used when it is
 * set, else the file named like the id (BuildKit's secretsprovider rule). Secret values are never printed.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecretSource } from '../build/types.js';
import { csvFields } from '../dockerfile/csv-value.js';
import { InputError } from '../errors.js';
import type { CliIo } from './cli-io.js';

export interface ParsedSecret {
  readonly id: string;
  readonly source: SecretSource;
}

type Io = Pick<CliIo, 'cwd' | 'env'>;

export function parseSecret(spec: string, io: Io): ParsedSecret {
  const fields = fieldsOf(spec);
  let type: 'file' | 'env' | undefined;
  let id = '';
  let src: string | undefined;
  let env: string | undefined;
  for (const [key, value] of fields) {
    switch (key) {
      case 'type':
        if (value !== 'file' && value !== 'env')
          throw bad(spec, `unsupported secret type ${JSON.stringify(value)}`);
        type = value;
        break;
      case 'id':
        id = value;
        break;
      case 'src':
      case 'source':
        src = value;
        break;
      case 'env':
        env = value;
        break;
      default:
        throw bad(spec, `unknown field ${JSON.stringify(key)}`);
    }
  }
  if (type === 'env' && env === undefined) [env, src] = [src, undefined];
  if (id === '') throw bad(spec, 'the secret has no id');
  if (src === undefined && env === undefined) {
    if (io.env[id] !== undefined) env = id;
    else src = id;
  }
  return { id, source: env !== undefined ? fromEnv(spec, env, io) : fromFile(spec, src ?? id, io) };
}

function fieldsOf(spec: string): [string, string][] {
  let raw: string[];
  try {
    raw = csvFields(spec);
  } catch {
    throw bad(spec, 'it is not valid CSV');
  }
  return raw.map((field) => {
    const eq = field.indexOf('=');
    if (eq < 0) throw bad(spec, `field ${JSON.stringify(field)} is not key=value`);
    return [field.slice(0, eq).toLowerCase(), field.slice(eq + 1)];
  });
}

function fromEnv(spec: string, name: string, io: Io): SecretSource {
  const value = io.env[name];
  if (value === undefined)
    throw bad(spec, `the environment variable ${name} is not set`, 'export it before running the build');
  return { kind: 'value', value };
}

function fromFile(spec: string, file: string, io: Io): SecretSource {
  const path = resolve(io.cwd, file);
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    accessSync(path, constants.R_OK);
  } catch {
    throw bad(
      spec,
      `${JSON.stringify(file)} is not a readable file`,
      'give src=PATH of an existing file, or env=VAR',
    );
  }
  return { kind: 'file', path };
}

function bad(
  spec: string,
  why: string,
  hint = 'write --secret id=ID,src=FILE or --secret id=ID,env=VAR',
): InputError {
  // The spec names files and variables, never values: safe to quote.
  return new InputError('--secret', `${JSON.stringify(spec)}: ${why}`, { hint });
}
