import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestMatch } from '../dockerfile/suggest.js';
import { InputError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into one-line InputErrors that name the flag and
 * point at the command's --help.
 */
export function parseFlags(command: string, args: readonly string[], options: Options): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw flagError(command, err, options);
  }
}

function flagError(command: string, err: unknown, options: Options): InputError {
  const e = err as Error & { code?: string };
  const hint = `see image-build ${command} --help`;
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = flagName(quoted);
      const near = closestMatch(name.replace(/^-+/, ''), Object.keys(options));
      return new InputError(name, near ? `unknown flag (did you mean --${near}?)` : 'unknown flag', { hint });
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = flagName(/^Option '([^']+)'/.exec(e.message)?.[1] ?? quoted);
      return /argument missing/.test(e.message)
        ? new InputError(name, 'needs a value', { hint })
        : new InputError(name, 'takes no value', { hint });
    }
    default:
      return new InputError(command, e.message, { hint });
  }
}

/** `-t, --tag <value>` → `--tag`; `--foo` stays. */
function flagName(text: string): string {
  const long = /--[\w-]+/.exec(text)?.[0];
  return long ?? (text || 'flag');
}

/** The strings given for a repeatable string flag (never undefined). */
export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Splits `K=V`; `K` alone gives no value. An empty key is an InputError naming `flag`. */
export function splitKeyValue(flag: string, text: string): { key: string; value: string | undefined } {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key.trim() === '') {
    throw new InputError(flag, `${JSON.stringify(text)} has no name before "="`, {
      hint: `write ${flag} KEY=VALUE`,
    });
  }
  return { key, value: eq < 0 ? undefined : text.slice(eq + 1) };
}
