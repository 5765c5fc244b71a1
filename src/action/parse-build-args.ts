import { InputError } from '../errors.js';
import { splitLines } from './parse-values.js';

/**
 * The `build-args` input: one `NAME=value` per line (the value may contain `=` and may be empty), as
 * build-push-action takes them. A bare `NAME` takes the value of that environment variable, as buildx does, and
 * is an error when the variable is not set.
 */
export function parseBuildArgs(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string>> {
  const args: Record<string, string> = {};
  for (const line of splitLines(text)) {
    const at = line.indexOf('=');
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    if (name === '' || /\s/.test(name)) {
      throw new InputError('build-args', `"${line}" is not NAME=value`, {
        hint: 'write one build argument per line as NAME=value, with no spaces in NAME',
      });
    }
    if (at >= 0) {
      args[name] = line.slice(at + 1);
      continue;
    }
    const fromEnv = env[name];
    if (fromEnv === undefined) {
      throw new InputError(
        'build-args',
        `"${name}" has no value and no environment variable ${name} is set`,
        {
          hint: `write ${name}=value, or set ${name} in the step's env`,
        },
      );
    }
    args[name] = fromEnv;
  }
  return args;
}
