/**
 * Instruction flags as BuildKit's BFlags: `--name=value` (a space-separated `--name value` is not a flag
 * value), booleans also as a bare `--name`, `true`/`false` in any case; repeatable flags (`--mount`,
 * `--exclude`) collect every value; anything else given twice, or an unknown name, is an error.
 */
import { closestMatch, didYouMean } from '../suggest.js';
import { instructionError, type InstructionRequest } from './request.js';

export type FlagKind = 'bool' | 'string' | 'strings';
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface ParsedFlags {
  /** Names given, without `--`. */
  readonly used: ReadonlySet<string>;
  bool(name: string): boolean;
  string(name: string): string | undefined;
  strings(name: string): readonly string[];
}

export function parseFlags(req: InstructionRequest, spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string[]>();
  for (const raw of req.node.flags) {
    const body = raw.slice(2);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    const kind = spec[name];
    if (kind === undefined) throw unknownFlag(req, name, spec);
    const seen = values.get(name);
    if (seen && kind !== 'strings') {
      throw instructionError(req, `duplicate flag --${name} for ${req.instruction}`, `give --${name} once`);
    }
    values.set(name, [...(seen ?? []), checkValue(req, name, kind, value)]);
  }
  return {
    used: new Set(values.keys()),
    bool: (name) => values.get(name)?.at(-1) === 'true',
    string: (name) => values.get(name)?.at(-1),
    strings: (name) => values.get(name) ?? [],
  };
}

function checkValue(
  req: InstructionRequest,
  name: string,
  kind: FlagKind,
  value: string | undefined,
): string {
  if (kind !== 'bool') {
    if (value === undefined) {
      throw instructionError(
        req,
        `flag --${name} for ${req.instruction} needs a value`,
        `write --${name}=<value> (a value after a space is not part of the flag)`,
      );
    }
    return value;
  }
  if (value === '')
    throw instructionError(
      req,
      `flag --${name} for ${req.instruction} needs a value`,
      `write --${name} or --${name}=true|false`,
    );
  const lower = (value ?? 'true').toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw instructionError(
      req,
      `flag --${name} for ${req.instruction} expects true or false, not "${value}"`,
    );
  }
  return lower;
}

function unknownFlag(req: InstructionRequest, name: string, spec: FlagSpec) {
  const known = Object.keys(spec);
  const suggestion = closestMatch(name, known);
  const hint =
    known.length === 0
      ? `${req.instruction} takes no flags`
      : `${req.instruction} accepts ${known.map((k) => `--${k}`).join(', ')}`;
  return instructionError(
    req,
    `unknown flag --${name} for ${req.instruction}${didYouMean(suggestion && `--${suggestion}`)}`,
    hint,
  );
}
