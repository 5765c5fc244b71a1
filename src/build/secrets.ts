import { readFile } from 'node:fs/promises';
import { BuildStepError } from '../errors.js';
import type { SecretSource } from './types.js';

/** A build secret's bytes, or undefined when the build was not given that id. Never logged. */
export async function readSecret(
  secrets: ReadonlyMap<string, SecretSource>,
  id: string,
): Promise<Buffer | undefined> {
  const src = secrets.get(id);
  if (!src) return undefined;
  if (src.kind === 'value') return Buffer.from(src.value, 'utf8');
  try {
    return await readFile(src.path);
  } catch (err) {
    throw new BuildStepError(
      `cannot read the file of secret ${JSON.stringify(id)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        hint: 'check the src= path given for this secret',
      },
    );
  }
}
