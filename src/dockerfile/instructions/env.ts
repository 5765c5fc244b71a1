/** ENV, LABEL (key/value pairs) and ARG (names with optional defaults). */
import { parseFlags } from './flags.js';
import { baseOf, instructionError, type InstructionRequest } from './request.js';
import type { ArgInstruction, EnvInstruction, KeyValue, LabelInstruction } from './types.js';

export function parseEnv(req: InstructionRequest): EnvInstruction {
  parseFlags(req, {});
  return { kind: 'env', ...baseOf(req), variables: keyValues(req) };
}

export function parseLabel(req: InstructionRequest): LabelInstruction {
  parseFlags(req, {});
  return { kind: 'label', ...baseOf(req), labels: keyValues(req) };
}

/** The parser's `key value sep` triples; an empty separator marks the legacy `KEY value` form. */
function keyValues(req: InstructionRequest): KeyValue[] {
  const args = req.node.args;
  if (args.length === 0) {
    throw instructionError(
      req,
      `${req.instruction} requires at least one argument`,
      `write ${req.instruction} <key>=<value>`,
    );
  }
  if (args.length % 3 !== 0)
    throw instructionError(req, `Bad input to ${req.instruction}, too many arguments`);
  const pairs: KeyValue[] = [];
  for (let i = 0; i < args.length; i += 3) {
    const key = args[i]!;
    if (key === '') throw instructionError(req, `${req.instruction} names can not be blank`);
    pairs.push({ key, value: args[i + 1]!, legacy: args[i + 2] === '' });
  }
  return pairs;
}

export function parseArg(req: InstructionRequest): ArgInstruction {
  if (req.node.args.length === 0) {
    throw instructionError(req, 'ARG requires at least one argument', 'write ARG <name>[=<default>]');
  }
  parseFlags(req, {});
  const args = req.node.args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq < 0) return { name: arg, defaultValue: undefined };
    if (eq === 0)
      throw instructionError(req, 'ARG names can not be blank', `give a name before "=" in "${arg}"`);
    return { name: arg.slice(0, eq), defaultValue: arg.slice(eq + 1) };
  });
  return { kind: 'arg', ...baseOf(req), args };
}
