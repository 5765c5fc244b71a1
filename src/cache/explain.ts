import type { StepReport } from '../build/types.js';
import type { Digest } from '../oci/digest.js';
import type { Json, KeyChange } from '../plan/cache-key.js';

/** Why a filesystem step was or was not reused, in words, for the log, the job summary and the metadata. */
export interface StepExplanation {
  readonly id: string;
  readonly stage: string;
  readonly instruction: string;
  readonly line: number;
  readonly outcome: 'hit' | 'miss';
  /** Hits: this machine's step cache (`local`) or the cross-run cache (`cache`). */
  readonly source?: 'local' | 'cache';
  /** Misses: one line saying why. */
  readonly reason?: string;
  /** Misses: the inputs that changed. */
  readonly changes: readonly ExplainedChange[];
}

export interface ExplainedChange {
  /** The key input (`files`, `env.NODE_ENV`, `args`, `base`). */
  readonly input: string;
  /** What it is, in Dockerfile terms. */
  readonly what: string;
  readonly before?: string;
  readonly after?: string;
}

/** Base images of this build and of the previous one in the scope (reference as written → digest). */
export interface BaseDigests {
  readonly previous: ReadonlyMap<string, Digest>;
  readonly current: ReadonlyMap<string, Digest>;
}

/** Explains every filesystem step of a build (config-only steps are never cached and are left out). */
export function explainSteps(steps: readonly StepReport[], bases?: BaseDigests): StepExplanation[] {
  const out: StepExplanation[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.status === 'config') continue;
    const where = { id: s.id, stage: s.stage, instruction: s.instruction, line: s.line };
    if (s.status === 'cached') {
      out.push({
        ...where,
        outcome: 'hit',
        ...(s.layer?.cacheSource ? { source: s.layer.cacheSource } : {}),
        changes: [],
      });
      continue;
    }
    const { reason, changes } = missReason(steps, i, bases);
    out.push({ ...where, outcome: 'miss', reason, changes });
  }
  return out;
}

function missReason(
  steps: readonly StepReport[],
  i: number,
  bases: BaseDigests | undefined,
): { reason: string; changes: ExplainedChange[] } {
  const r = steps[i]!.reason;
  switch (r?.kind) {
    case undefined:
    case 'first-build':
      return { reason: 'not built before in this cache scope', changes: [] };
    case 'no-cache':
      return { reason: 'the cache is disabled for this build (no-cache)', changes: [] };
    case 'inputs-changed': {
      const changes = r.changes.map(describeChange);
      return {
        reason: changes
          .map((c) => c.what)
          .filter(unique)
          .join('; '),
        changes,
      };
    }
    case 'parent-changed':
      return parentReason(steps, i, bases);
  }
}

/** The step starts from a different filesystem: an earlier step of the stage changed, or its base image. */
function parentReason(
  steps: readonly StepReport[],
  i: number,
  bases: BaseDigests | undefined,
): { reason: string; changes: ExplainedChange[] } {
  const stage = steps[i]!.stage;
  for (let j = i - 1; j >= 0; j--) {
    const s = steps[j]!;
    if (s.stage !== stage) break;
    if (s.status === 'built')
      return { reason: `an earlier step changed (${s.id} ${clip(s.instruction, 40)})`, changes: [] };
    if (s.status === 'config' && s.id.endsWith('.0')) {
      const ref = fromReference(s.instruction);
      const before = ref !== undefined ? bases?.previous.get(ref) : undefined;
      const after = ref !== undefined ? bases?.current.get(ref) : undefined;
      if (ref !== undefined && before !== undefined && after !== undefined && before !== after) {
        return {
          reason: `the base image ${ref} changed (${short(before)} → ${short(after)})`,
          changes: [{ input: 'base', what: `base image ${ref}`, before, after }],
        };
      }
      return { reason: `the stage's starting point changed (${clip(s.instruction, 40)})`, changes: [] };
    }
  }
  return { reason: 'an earlier step changed', changes: [] };
}

const inputNames: Readonly<Record<string, string>> = {
  files: 'the files it copies changed',
  args: 'the command changed',
  inline: 'the heredoc changed',
  sources: 'the sources of the instruction changed',
  dest: 'the destination changed',
  from: 'the stage or image it copies from changed',
  user: 'the USER changed',
  cwd: 'the WORKDIR changed',
  path: 'the WORKDIR path changed',
  network: 'RUN --network changed',
  mounts: 'the RUN --mount options (or what they mount) changed',
  platform: 'the target platform changed',
  epoch: 'SOURCE_DATE_EPOCH changed',
  compression: 'the layer compression changed',
  remote: 'the content of a downloaded ADD source changed',
  op: 'the instruction changed',
};

function describeChange(c: KeyChange): ExplainedChange {
  const [head, ...rest] = c.input.split('.');
  // ARG/ENV values may be secrets passed as build args: name the variable, never show its value.
  if (head === 'env')
    return {
      input: c.input,
      what: rest.length > 0 ? `ARG/ENV ${rest.join('.')} changed` : 'ARG/ENV changed',
    };
  return {
    input: c.input,
    what: inputNames[head ?? ''] ?? `the instruction's ${head} changed`,
    ...(c.before !== undefined ? { before: show(c.before) } : {}),
    ...(c.after !== undefined ? { after: show(c.after) } : {}),
  };
}

/** `hit  1.2 COPY . /app (cache)` / `miss 1.3 RUN npm ci — the files it copies changed`. */
export function formatExplanation(e: StepExplanation): string {
  if (e.outcome === 'hit') return `hit  ${e.id} ${e.instruction}${e.source ? ` (${e.source})` : ''}`;
  const detail = e.changes
    .filter((c) => c.before !== undefined || c.after !== undefined)
    .slice(0, 3)
    .map((c) => `${c.input}: ${short(c.before ?? '∅')} → ${short(c.after ?? '∅')}`);
  return `miss ${e.id} ${e.instruction} — ${e.reason ?? ''}${detail.length ? ` [${detail.join('; ')}]` : ''}`;
}

/** A Markdown table for the job summary. */
export function explanationMarkdown(explanations: readonly StepExplanation[]): string {
  const rows = explanations.map(
    (e) =>
      `| ${e.id} | \`${escapeCell(clip(e.instruction, 60))}\` | ${e.outcome === 'hit' ? `hit${e.source ? ` (${e.source})` : ''}` : 'miss'} | ${escapeCell(e.reason ?? '')} |`,
  );
  return ['| Step | Instruction | Cache | Why |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The image reference of a `FROM [--platform=…] ref [AS name]` line (undefined for scratch). */
function fromReference(instruction: string): string | undefined {
  const words = instruction
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((w) => !w.startsWith('--'));
  const ref = words[0];
  return ref === undefined || ref === 'scratch' ? undefined : ref;
}

function show(v: Json): string {
  if (typeof v === 'string') return /^sha256:[0-9a-f]{64}$/.test(v) ? short(v) : clip(v, 60);
  return clip(JSON.stringify(v), 60);
}

function short(d: string): string {
  return d.startsWith('sha256:') ? d.slice(0, 19) : d;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\n/g, ' ');
}

function unique<T>(v: T, i: number, all: readonly T[]): boolean {
  return all.indexOf(v) === i;
}
