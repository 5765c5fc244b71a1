/** What every instruction parser gets: the node, its location and a way to fail with it. */
import { DockerfileError } from '../../errors.js';
import type { Node } from '../ast.js';
import { goToUpper, goTrimSpace } from '../go-text.js';
import type { InstructionBase, SourceLocation } from './types.js';

export interface InstructionRequest {
  readonly node: Node;
  readonly location: SourceLocation;
  /** The keyword upper-cased, for messages: `COPY`. */
  readonly instruction: string;
  readonly escapeToken: string;
}

export function requestFor(node: Node, file: string, escapeToken: string): InstructionRequest {
  return {
    node,
    location: { file, line: node.startLine, endLine: node.endLine },
    instruction: goToUpper(node.keyword),
    escapeToken,
  };
}

/** A DockerfileError at the instruction. */
export function instructionError(req: InstructionRequest, message: string, hint?: string): DockerfileError {
  return new DockerfileError(message, { location: req.location, ...(hint === undefined ? {} : { hint }) });
}

export function baseOf(req: InstructionRequest): InstructionBase {
  return {
    location: req.location,
    source: goTrimSpace(req.node.original),
    keyword: req.node.keywordAsWritten,
  };
}

/** Exactly one argument, else `USER requires exactly one argument`. */
export function exactlyOne(req: InstructionRequest, what: string): string {
  if (req.node.args.length !== 1) {
    throw instructionError(
      req,
      `${req.instruction} requires exactly one argument`,
      `write ${req.instruction} <${what}>`,
    );
  }
  return req.node.args[0]!;
}

/** At least one argument, else `EXPOSE requires at least one argument`. */
export function atLeastOne(req: InstructionRequest, what: string): readonly string[] {
  if (req.node.args.length === 0) {
    throw instructionError(
      req,
      `${req.instruction} requires at least one argument`,
      `write ${req.instruction} <${what}>`,
    );
  }
  return req.node.args;
}
