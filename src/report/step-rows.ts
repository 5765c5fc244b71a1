import type { MissReason, StepReport } from '../build/types.js';
import { explainSteps, type BaseDigests } from '../cache/index.js';

/** One build step as the reports show it. */
export interface StepRow {
  readonly instruction: string;
  readonly stage: string;
  readonly status: StepReport['status'];
  /** `cached`, `restored from cache`, `built: no-cache is set`, … */
  readonly cacheText: string;
  readonly durationMs: number;
  /** Compressed size of the step's layer, when it made one. */
  readonly layerSize?: number;
}

/** Hits and misses over the steps that could be cached (RUN, COPY, ADD, WORKDIR). */
export interface CacheStats {
  readonly cached: number;
  readonly built: number;
}

/** The steps with their cache status; a miss says why in words (never with the changed values). */
export function stepRows(steps: readonly StepReport[], bases?: BaseDigests): StepRow[] {
  const why = new Map(explainSteps(steps, bases).map((e) => [e.id, e.reason]));
  return steps.map((step) => ({
    instruction: step.instruction,
    stage: step.stage,
    status: step.status,
    cacheText: cacheText(step, why.get(step.id)),
    durationMs: step.durationMs,
    ...(step.layer ? { layerSize: step.layer.size } : {}),
  }));
}

export function cacheStats(steps: readonly StepReport[]): CacheStats {
  return {
    cached: steps.filter((s) => s.status === 'cached').length,
    built: steps.filter((s) => s.status === 'built').length,
  };
}

function cacheText(step: StepReport, why: string | undefined): string {
  switch (step.status) {
    case 'config':
      return '–';
    case 'cached':
      return step.layer?.cacheSource === 'cache' ? 'cached (restored)' : 'cached';
    case 'built':
      return why ? `built: ${why}` : step.reason ? `built: ${missText(step.reason)}` : 'built';
  }
}

/** Why a step ran, briefly (the log's line). Names the inputs that changed, never their values. */
export function missText(reason: MissReason): string {
  switch (reason.kind) {
    case 'no-cache':
      return 'no-cache is set';
    case 'first-build':
      return 'not in the cache';
    case 'parent-changed':
      return 'an earlier step changed';
    case 'inputs-changed': {
      const names = [...new Set(reason.changes.map((c) => c.input))];
      const shown = names.slice(0, 3).join(', ');
      return names.length > 3 ? `changed ${shown} and ${names.length - 3} more` : `changed ${shown}`;
    }
  }
}
