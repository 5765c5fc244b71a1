import { InputError } from '../errors.js';
import { ExpressionError, renderGlobal, type ExpressionFacts } from './expressions.js';
import { parseList } from './parse-list.js';
import { templateProblem } from './template-check.js';
import type { KeyValue, LeveledAnnotation } from './types.js';

/** The values behind metadata-action's default `org.opencontainers.image.*` labels and annotations. */
export interface LabelFacts {
  readonly title: string;
  readonly description: string;
  readonly url: string;
  readonly version: string;
  readonly created: Date;
  readonly revision: string;
  readonly licenses: string;
}

/** The default lines, in metadata-action's order (the merge sorts them afterwards). */
export function defaultLabelLines(facts: LabelFacts): readonly string[] {
  const oci = 'org.opencontainers.image';
  return [
    `${oci}.title=${facts.title}`,
    `${oci}.description=${facts.description}`,
    `${oci}.url=${facts.url}`,
    `${oci}.source=${facts.url}`,
    `${oci}.version=${facts.version}`,
    `${oci}.created=${facts.created.toISOString()}`,
    `${oci}.revision=${facts.revision}`,
    `${oci}.licenses=${facts.licenses}`,
  ];
}

/**
 * The `labels` (or `annotations`) input merged over the defaults: each custom line is expanded as a global
 * expression, split at its first `=` (values may contain `=`; a line without `=` is dropped), the last value for a
 * key wins, and the result is sorted by key.
 */
export function mergeLabels(
  input: 'labels' | 'annotations',
  text: string,
  defaults: readonly string[],
  facts: ExpressionFacts,
): readonly KeyValue[] {
  const custom = parseList(input, text).entries.map((line) => expandLine(input, line, facts));
  const merged = new Map<string, string>();
  for (const line of [...defaults, ...custom]) {
    const at = line.indexOf('=');
    if (at >= 0) merged.set(line.slice(0, at), line.slice(at + 1));
  }
  return [...merged].sort(([a], [b]) => a.localeCompare(b, 'en')).map(([key, value]) => ({ key, value }));
}

function expandLine(input: string, line: string, facts: ExpressionFacts): string {
  const problem = templateProblem(line, 'global');
  if (problem !== undefined) throw new InputError(input, `${problem} in "${line}"`);
  try {
    return renderGlobal(line, facts);
  } catch (err) {
    if (err instanceof ExpressionError) throw new InputError(input, `${err.message} in "${line}"`);
    throw err;
  }
}

/** Annotations at every level, level by level: `manifest:key=value`, … */
export function levelAnnotations(
  annotations: readonly KeyValue[],
  levels: readonly string[],
): readonly LeveledAnnotation[] {
  return levels.flatMap((level) => annotations.map(({ key, value }) => ({ level, key, value })));
}

export function formatKeyValue({ key, value }: KeyValue): string {
  return `${key}=${value}`;
}

export function formatAnnotation(annotation: LeveledAnnotation): string {
  return `${annotation.level}:${formatKeyValue(annotation)}`;
}
