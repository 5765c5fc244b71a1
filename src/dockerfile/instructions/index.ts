/** Node → typed instruction, by keyword; unknown keywords are errors with a suggestion. */
import type { Node } from '../ast.js';
import { goToUpper } from '../go-text.js';
import { closestMatch, didYouMean } from '../suggest.js';
import { parseCmd, parseEntrypoint, parseShell } from './command.js';
import { parseAdd, parseCopy } from './copy.js';
import { parseArg, parseEnv, parseLabel } from './env.js';
import { parseFrom } from './from.js';
import { parseHealthcheck } from './healthcheck.js';
import { instructionError, requestFor, type InstructionRequest } from './request.js';
import { parseRun } from './run.js';
import {
  parseExpose,
  parseMaintainer,
  parseOnbuild,
  parseStopSignal,
  parseUser,
  parseVolume,
  parseWorkdir,
} from './simple.js';
import type { Instruction, InstructionKind } from './types.js';

const parsers: Readonly<Record<InstructionKind, (req: InstructionRequest) => Instruction>> = {
  from: parseFrom,
  run: parseRun,
  copy: parseCopy,
  add: parseAdd,
  env: parseEnv,
  label: parseLabel,
  arg: parseArg,
  workdir: parseWorkdir,
  user: parseUser,
  expose: parseExpose,
  volume: parseVolume,
  stopsignal: parseStopSignal,
  maintainer: parseMaintainer,
  cmd: parseCmd,
  entrypoint: parseEntrypoint,
  shell: parseShell,
  healthcheck: parseHealthcheck,
  onbuild: parseOnbuild,
};

/** All instruction keywords, upper-case. */
export const instructionNames: readonly string[] = Object.keys(parsers).map((k) => k.toUpperCase());

function isKind(keyword: string): keyword is InstructionKind {
  return Object.hasOwn(parsers, keyword);
}

/** Types one parse-tree node. Throws DockerfileError (unknown instruction, bad flags, bad arguments). */
export function parseInstruction(node: Node, file: string, escapeToken: string): Instruction {
  const req = requestFor(node, file, escapeToken);
  if (!isKind(node.keyword)) {
    const word = goToUpper(node.keywordAsWritten);
    const suggestion = closestMatch(word, instructionNames, false);
    throw instructionError(
      req,
      `unknown instruction: ${word}${didYouMean(suggestion)}`,
      'instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, CMD, ENTRYPOINT, …',
    );
  }
  return parsers[node.keyword](req);
}

export * from './types.js';
export type {
  Mount,
  MountFlag,
  MountField,
  BindMount,
  CacheMount,
  TmpfsMount,
  SecretMount,
  SshMount,
  CacheSharing,
  MountType,
} from './mount.js';
export { parseMountFlag, resolveMount, MountError } from './mount.js';
export { runScript, type RunScript, type RunInlineFile } from './run-script.js';
