import { DockerfileError, type SourceLocation } from '../errors.js';
import {
  GlobalArgs,
  processWord,
  ShellLexError,
  type Dockerfile,
  type Instruction,
  type Stage,
} from '../dockerfile/index.js';
import { normalizePlatform, parsePlatform } from '../oci/platform.js';
import type { Platform } from '../oci/types.js';

/** Where a stage starts from: nothing, an earlier stage, or an image. */
export type StageBase =
  | { readonly kind: 'scratch' }
  | { readonly kind: 'stage'; readonly index: number }
  | { readonly kind: 'image'; readonly ref: string };

/** A filesystem a step reads from another stage or an image (`COPY --from`, `RUN --mount=from=`). */
export type StageSource =
  { readonly kind: 'stage'; readonly index: number } | { readonly kind: 'image'; readonly ref: string };

export interface StagePlan {
  readonly stage: Stage;
  /** The stage's name for messages: its `AS` name, else its index. */
  readonly label: string;
  readonly base: StageBase;
  readonly platform: Platform;
  /** Stages this one needs built first (its base and every `--from`). */
  readonly dependsOn: readonly number[];
}

export interface BuildPlan {
  readonly dockerfile: Dockerfile;
  readonly globals: GlobalArgs;
  readonly stages: readonly StagePlan[];
  /** Stage indexes to build, dependencies first; the target is last. */
  readonly order: readonly number[];
  readonly target: number;
}

export interface PlanOptions {
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly targetPlatform: Platform;
  readonly buildPlatform: Platform;
}

/** Resolves stage bases and `--from` references and picks the stages the target needs. */
export function planBuild(dockerfile: Dockerfile, options: PlanOptions): BuildPlan {
  const target = findTarget(dockerfile, options.target);
  const globals = GlobalArgs.forDockerfile(dockerfile, {
    target: options.targetPlatform,
    build: options.buildPlatform,
    buildArgs: options.buildArgs,
    targetStage: dockerfile.stages[target]?.name ?? '',
  });
  const stages = dockerfile.stages.map((s) => planStage(dockerfile, s, globals, options.targetPlatform));
  return { dockerfile, globals, stages, order: buildOrder(stages, target), target };
}

function findTarget(dockerfile: Dockerfile, target: string | undefined): number {
  if (target === undefined || target === '') return dockerfile.stages.length - 1;
  const want = target.toLowerCase();
  const i = dockerfile.stages.findIndex((s) => s.name === want);
  if (i < 0) {
    const names = dockerfile.stages.map((s) => s.name).filter((n): n is string => n !== undefined);
    throw new DockerfileError(
      `target stage ${JSON.stringify(target)} could not be found in ${dockerfile.file}`,
      {
        hint: names.length
          ? `the stages are: ${names.join(', ')}`
          : 'the Dockerfile names no stages (FROM … AS name)',
      },
    );
  }
  return i;
}

function planStage(
  dockerfile: Dockerfile,
  stage: Stage,
  globals: GlobalArgs,
  targetPlatform: Platform,
): StagePlan {
  const from = stage.from;
  const image = expandFromWord(from.image, globals, dockerfile.escapeToken, from.location);
  if (image === '') {
    throw new DockerfileError('base name (FROM) must not be blank', {
      location: from.location,
      hint: `${from.image} expanded to nothing; give the ARG a default or pass --build-arg`,
    });
  }
  const platform = from.platform
    ? parseStagePlatform(expandFromWord(from.platform, globals, dockerfile.escapeToken, from.location), stage)
    : targetPlatform;
  const base = resolveBase(dockerfile, stage, image);
  const deps = new Set<number>();
  if (base.kind === 'stage') deps.add(base.index);
  for (const instruction of stage.instructions) {
    for (const src of sourcesOf(instruction)) {
      const s = resolveSource(dockerfile, stage, src, instruction);
      if (s.kind === 'stage') deps.add(s.index);
    }
  }
  return { stage, label: stage.name ?? `stage-${stage.index}`, base, platform, dependsOn: [...deps] };
}

/** A FROM word with the global ARGs substituted; a malformed reference (`${A:?}`, an open quote) is the user's error. */
function expandFromWord(
  word: string,
  globals: GlobalArgs,
  escapeToken: string,
  location: SourceLocation,
): string {
  try {
    return processWord(word, globals, { escapeToken }).value;
  } catch (err) {
    if (!(err instanceof ShellLexError)) throw err;
    throw new DockerfileError(err.message, {
      location,
      hint: 'check the variable references on the FROM line',
    });
  }
}

function parseStagePlatform(value: string, stage: Stage): Platform {
  try {
    return normalizePlatform(parsePlatform(value));
  } catch (err) {
    throw new DockerfileError(`invalid --platform ${JSON.stringify(value)} on FROM`, {
      location: stage.from.location,
      hint: 'use os/arch[/variant], e.g. linux/arm64',
      cause: err,
    });
  }
}

function resolveBase(dockerfile: Dockerfile, stage: Stage, image: string): StageBase {
  if (image.toLowerCase() === 'scratch') return { kind: 'scratch' };
  const lower = image.toLowerCase();
  const earlier = dockerfile.stages.slice(0, stage.index).findIndex((s) => s.name === lower);
  if (earlier >= 0) return { kind: 'stage', index: earlier };
  return { kind: 'image', ref: image };
}

/** The raw `--from` values an instruction reads (COPY --from, RUN --mount from=). */
export function sourcesOf(instruction: Instruction): string[] {
  if (instruction.kind === 'copy' && instruction.from !== undefined) return [instruction.from];
  if (instruction.kind === 'run') {
    const out: string[] = [];
    for (const flag of instruction.mounts) {
      const from = flag.fields.find((f) => f.key === 'from');
      if (from?.value) out.push(from.value);
    }
    return out;
  }
  return [];
}

/**
 * BuildKit's `--from` rule: a number is a stage index (in Dockerfile order), a name is an earlier stage
 * (case-insensitive), anything else is an image reference.
 */
export function resolveSource(
  dockerfile: Dockerfile,
  stage: Stage,
  from: string,
  at: Instruction,
): StageSource {
  if (/^\d+$/.test(from)) {
    const index = Number(from);
    if (index >= dockerfile.stages.length) {
      throw new DockerfileError(`invalid stage index ${index}`, {
        location: at.location,
        hint: `the Dockerfile has ${dockerfile.stages.length} stages, numbered from 0`,
      });
    }
    if (index >= stage.index) {
      throw new DockerfileError(
        `cannot copy from stage ${from}, it needs to be defined before the current stage`,
        { location: at.location },
      );
    }
    return { kind: 'stage', index };
  }
  const lower = from.toLowerCase();
  const found = dockerfile.stages.findIndex((s) => s.name === lower);
  if (found >= 0) {
    if (found >= stage.index) {
      throw new DockerfileError(
        `cannot copy from stage ${JSON.stringify(from)}, it needs to be defined before the current stage`,
        {
          location: at.location,
        },
      );
    }
    return { kind: 'stage', index: found };
  }
  return { kind: 'image', ref: from };
}

function buildOrder(stages: readonly StagePlan[], target: number): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (i: number): void => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const d of stages[i]!.dependsOn) visit(d);
    order.push(i);
  };
  visit(target);
  return order;
}
