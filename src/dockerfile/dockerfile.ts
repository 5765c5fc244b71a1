/**
 * A whole Dockerfile: directives, the ARGs before the first FROM, and the build stages with their typed
 * instructions. Only ARG may precede the first FROM; stage names must be unique.
 */
import { DockerfileError } from '../errors.js';
import type { Directive, ParseResult } from './ast.js';
import { parseInstruction } from './instructions/index.js';
import type { ArgInstruction, FromInstruction, Instruction, SourceLocation } from './instructions/types.js';
import { parse } from './parser.js';

export interface Stage {
  /** The lower-cased `AS` name. */
  readonly name: string | undefined;
  /** 0-based position, usable as `COPY --from=<index>`. */
  readonly index: number;
  readonly from: FromInstruction;
  /** The instructions after FROM, in order. */
  readonly instructions: readonly Instruction[];
  /** From the FROM line to the stage's last line. */
  readonly location: SourceLocation;
}

export interface DockerfileWarning {
  /** BuildKit's check name, e.g. `NoEmptyContinuation`. */
  readonly rule: string;
  readonly message: string;
  readonly location: SourceLocation;
}

export interface Dockerfile {
  readonly file: string;
  readonly directives: readonly Directive[];
  readonly escapeToken: string;
  /** ARG instructions before the first FROM (global scope). */
  readonly metaArgs: readonly ArgInstruction[];
  readonly stages: readonly Stage[];
  readonly warnings: readonly DockerfileWarning[];
}

export interface ParseDockerfileOptions {
  /** Name used in locations and messages; `Dockerfile` by default. */
  readonly file?: string;
}

const reservedStageNames: ReadonlySet<string> = new Set(['context', 'scratch']);

/** Parses and types a Dockerfile. Throws DockerfileError with file and line. */
export function parseDockerfile(
  source: string | Uint8Array,
  options: ParseDockerfileOptions = {},
): Dockerfile {
  const file = options.file ?? 'Dockerfile';
  const tree = parse(source, { file });
  const metaArgs: ArgInstruction[] = [];
  const builders: { from: FromInstruction; instructions: Instruction[] }[] = [];
  for (const node of tree.nodes) {
    const instruction = parseInstruction(node, file, tree.escapeToken);
    const current = builders.at(-1);
    if (instruction.kind === 'from') builders.push({ from: instruction, instructions: [] });
    else if (current) current.instructions.push(instruction);
    else if (instruction.kind === 'arg') metaArgs.push(instruction);
    else throw beforeFrom(instruction);
  }
  if (builders.length === 0) {
    throw new DockerfileError('dockerfile contains no stages to build', {
      location: { file, line: tree.nodes.at(-1)!.endLine },
      hint: 'add a FROM instruction',
    });
  }
  const stages = builders.map((b, index) => toStage(b.from, b.instructions, index));
  checkStageNames(stages);
  return {
    file,
    directives: tree.directives,
    escapeToken: tree.escapeToken,
    metaArgs,
    stages,
    warnings: warningsOf(tree, stages),
  };
}

/**
 * Parses an ONBUILD trigger from a base image's config (`OnBuild` entries) when a child build runs it:
 * one instruction, default escape token, located at the child's FROM (BuildKit `initOnBuildTriggers`).
 */
export function parseOnbuildTrigger(expression: string, at: SourceLocation): Instruction {
  let nodes: ParseResult['nodes'];
  try {
    nodes = parse(expression, { file: at.file }).nodes;
  } catch (err) {
    if (err instanceof DockerfileError)
      throw new DockerfileError(`ONBUILD trigger ${JSON.stringify(expression)}: ${err.message}`, {
        location: at,
      });
    throw err;
  }
  if (nodes.length !== 1)
    throw new DockerfileError('onbuild trigger should be a single expression', { location: at });
  const node = { ...nodes[0]!, startLine: at.line, endLine: at.endLine };
  const instruction = parseInstruction(node, at.file, '\\');
  if (instruction.kind === 'from')
    throw new DockerfileError("FROM isn't allowed as an ONBUILD trigger", { location: at });
  return instruction;
}

function toStage(from: FromInstruction, instructions: Instruction[], index: number): Stage {
  const endLine = instructions.at(-1)?.location.endLine ?? from.location.endLine;
  return { name: from.stageName, index, from, instructions, location: { ...from.location, endLine } };
}

function beforeFrom(instruction: Instruction): DockerfileError {
  return new DockerfileError(
    `${instruction.keyword.toUpperCase()} before the first FROM: no build stage in current context`,
    {
      location: instruction.location,
      hint: 'only ARG may come before the first FROM; start a stage with FROM <image>',
    },
  );
}

function checkStageNames(stages: readonly Stage[]): void {
  const seen = new Map<string, Stage>();
  for (const stage of stages) {
    if (stage.name === undefined) continue;
    const earlier = seen.get(stage.name);
    if (earlier) {
      throw new DockerfileError(`duplicate stage name "${stage.name}"`, {
        location: stage.from.location,
        hint: `it is already defined at line ${earlier.from.location.line}; give each stage its own name`,
      });
    }
    seen.set(stage.name, stage);
  }
}

function warningsOf(tree: ParseResult, stages: readonly Stage[]): DockerfileWarning[] {
  const warnings: DockerfileWarning[] = tree.warnings.map((w) => ({
    rule: 'NoEmptyContinuation',
    message: `${w.message} (empty continuation lines will become errors in a future release)`,
    location: { file: tree.file, line: w.line, endLine: w.line },
  }));
  for (const stage of stages) {
    if (stage.name !== undefined && reservedStageNames.has(stage.name)) {
      warnings.push({
        rule: 'ReservedStageName',
        message: `stage name "${stage.name}" is reserved and should not be used`,
        location: stage.from.location,
      });
    }
  }
  return warnings;
}
