/** Single-purpose instructions: WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, MAINTAINER, ONBUILD. */
import { goToUpper, goTrimSpace } from '../go-text.js';
import { parseFlags } from './flags.js';
import { atLeastOne, baseOf, exactlyOne, instructionError, type InstructionRequest } from './request.js';
import type {
  ExposeInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  StopSignalInstruction,
  UserInstruction,
  VolumeInstruction,
  WorkdirInstruction,
} from './types.js';

export function parseWorkdir(req: InstructionRequest): WorkdirInstruction {
  const path = exactlyOne(req, 'path');
  parseFlags(req, {});
  return { kind: 'workdir', ...baseOf(req), path };
}

export function parseUser(req: InstructionRequest): UserInstruction {
  const user = exactlyOne(req, 'user[:group]');
  parseFlags(req, {});
  return { kind: 'user', ...baseOf(req), user };
}

export function parseExpose(req: InstructionRequest): ExposeInstruction {
  const ports = atLeastOne(req, 'port[/protocol]');
  parseFlags(req, {});
  return { kind: 'expose', ...baseOf(req), ports: [...ports] };
}

export function parseVolume(req: InstructionRequest): VolumeInstruction {
  const args = atLeastOne(req, 'path');
  parseFlags(req, {});
  const volumes = args.map((v) => goTrimSpace(v));
  if (volumes.includes('')) throw instructionError(req, 'VOLUME specified can not be an empty string');
  return { kind: 'volume', ...baseOf(req), volumes };
}

/** STOPSIGNAL; BuildKit does not look at flags here, so neither do we. */
export function parseStopSignal(req: InstructionRequest): StopSignalInstruction {
  return { kind: 'stopsignal', ...baseOf(req), signal: exactlyOne(req, 'signal') };
}

export function parseMaintainer(req: InstructionRequest): MaintainerInstruction {
  const maintainer = exactlyOne(req, 'name');
  parseFlags(req, {});
  return { kind: 'maintainer', ...baseOf(req), maintainer };
}

const onbuildPrefix = /^[\t\n\f\r ]*onbuild[\t\n\f\r ]*/i;

/** ONBUILD <instruction>: the trigger is stored as text and parsed when a child build runs it. */
export function parseOnbuild(req: InstructionRequest): OnbuildInstruction {
  const trigger = req.node.next;
  if (!trigger)
    throw instructionError(req, 'ONBUILD requires at least one argument', 'write ONBUILD <instruction>');
  parseFlags(req, {});
  const word = goToUpper(goTrimSpace(trigger.keywordAsWritten));
  if (word === 'ONBUILD') throw instructionError(req, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (word === 'MAINTAINER' || word === 'FROM')
    throw instructionError(req, `${word} isn't allowed as an ONBUILD trigger`);
  let expression = req.node.original.replace(onbuildPrefix, '');
  for (const heredoc of req.node.heredocs) expression += `\n${heredoc.content}${heredoc.name}`;
  return { kind: 'onbuild', ...baseOf(req), expression, trigger: word };
}
