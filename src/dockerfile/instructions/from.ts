/** FROM [--platform=<platform>] <image> [AS <name>]. */
import { parseFlags } from './flags.js';
import { baseOf, instructionError, type InstructionRequest } from './request.js';
import type { FromInstruction } from './types.js';

const validStageName = /^[a-z][a-z0-9-_.]*$/;

export function parseFrom(req: InstructionRequest): FromInstruction {
  const args = req.node.args;
  let stageName: string | undefined;
  if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
    stageName = args[2]!.toLowerCase();
    if (!validStageName.test(stageName)) {
      throw instructionError(
        req,
        `invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`,
        'use letters, digits, "-", "_" and ".", starting with a letter',
      );
    }
  } else if (args.length !== 1) {
    throw instructionError(
      req,
      'FROM requires either one or three arguments',
      'write FROM <image> [AS <name>]',
    );
  }
  const flags = parseFlags(req, { platform: 'string' });
  return {
    kind: 'from',
    ...baseOf(req),
    image: args[0]!,
    stageName,
    platform: flags.string('platform'),
    comment: stageComment(req.node.comments, stageName),
  };
}

/** A `# <name> <description>` comment right above names the stage's description (BuildKit `getComment`). */
function stageComment(comments: readonly string[], name: string | undefined): string {
  if (!name) return '';
  for (const line of comments) if (line.startsWith(`${name} `)) return line.slice(name.length + 1);
  return '';
}
