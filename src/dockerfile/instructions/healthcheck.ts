/** HEALTHCHECK NONE | [--interval --timeout --start-period --start-interval --retries] CMD <command>. */
import { goToUpper } from '../go-text.js';
import { parseFlags } from './flags.js';
import { parseGoDuration, parseGoInt32 } from './go-numbers.js';
import { atLeastOne, baseOf, instructionError, type InstructionRequest } from './request.js';
import type { HealthcheckInstruction } from './types.js';

const minimumNanos = 1_000_000n;

export function parseHealthcheck(req: InstructionRequest): HealthcheckInstruction {
  const [first, ...rest] = atLeastOne(req, 'CMD <command>|NONE');
  const type = goToUpper(first!);
  if (type === 'NONE') {
    // As in BuildKit, flags are not looked at for NONE.
    if (rest.length !== 0) throw instructionError(req, 'HEALTHCHECK NONE takes no arguments');
    return { kind: 'healthcheck', ...baseOf(req), check: { type: 'none' } };
  }
  const flags = parseFlags(req, {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  });
  if (type !== 'CMD') throw instructionError(req, `Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  if (rest.length === 0) throw instructionError(req, 'Missing command after HEALTHCHECK CMD');
  const test = req.node.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')];
  const duration = (name: string): number => interval(req, name, flags.string(name));
  return {
    kind: 'healthcheck',
    ...baseOf(req),
    check: {
      type: 'cmd',
      test,
      interval: duration('interval'),
      timeout: duration('timeout'),
      startPeriod: duration('start-period'),
      startInterval: duration('start-interval'),
      retries: retries(req, flags.string('retries')),
    },
  };
}

/** A Go duration in nanoseconds; empty or zero is 0 (unset); otherwise at least 1ms. */
function interval(req: InstructionRequest, name: string, value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const nanos = parseGoDuration(value);
  if (typeof nanos === 'string')
    throw instructionError(req, `--${name}: ${nanos}`, 'use a duration such as 30s, 1m30s or 500ms');
  if (nanos === 0n) return 0;
  if (nanos < minimumNanos) throw instructionError(req, `Interval "${name}" cannot be less than 1ms`);
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw instructionError(req, `--${name}=${value} is too long`);
  return Number(nanos);
}

function retries(req: InstructionRequest, value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const n = parseGoInt32(value);
  if (n === undefined) throw instructionError(req, `--retries: invalid number "${value}"`);
  if (n < 0) throw instructionError(req, `--retries cannot be negative (${n})`);
  return n;
}
