/** CMD, ENTRYPOINT (shell or exec form) and SHELL (exec form only). */
import { parseFlags } from './flags.js';
import { baseOf, instructionError, type InstructionRequest } from './request.js';
import { commandLineOf } from './run.js';
import type { CmdInstruction, EntrypointInstruction, ShellInstruction } from './types.js';

export function parseCmd(req: InstructionRequest): CmdInstruction {
  parseFlags(req, {});
  return { kind: 'cmd', ...baseOf(req), command: commandLineOf(req.node.args, req.node.json) };
}

/** `ENTRYPOINT []` clears the entrypoint (BuildKit stores nil). */
export function parseEntrypoint(req: InstructionRequest): EntrypointInstruction {
  parseFlags(req, {});
  return { kind: 'entrypoint', ...baseOf(req), command: commandLineOf(req.node.args, req.node.json) };
}

export function parseShell(req: InstructionRequest): ShellInstruction {
  parseFlags(req, {});
  if (req.node.args.length === 0) {
    throw instructionError(
      req,
      'SHELL requires at least one argument',
      'write SHELL ["executable", "parameters"]',
    );
  }
  if (!req.node.json) {
    throw instructionError(
      req,
      'SHELL requires the arguments to be in JSON form',
      'write SHELL ["executable", "parameters"] with double quotes',
    );
  }
  return { kind: 'shell', ...baseOf(req), shell: [...req.node.args] };
}
