/**
 * Image configs for the differential suite: the runtime fields both builders set, compared field by field, and
 * our history checked against the `created_by` texts BuildKit writes (buildah writes its own texts, so history
 * is compared with the fixture's expected BuildKit texts instead of with buildah).
 */
import type { HistoryEntry, ImageConfig } from '../../src/oci/types.js';
import type { Difference } from './differential-tree.js';

/** The config fields compared; top-level ones are written as `architecture`, runtime ones by name. */
export const comparedFields = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'Labels',
  'ExposedPorts',
  'Volumes',
  'StopSignal',
  'Healthcheck',
  'Shell',
  'OnBuild',
  'ArgsEscaped',
  'architecture',
  'os',
  'variant',
  'author',
] as const;

export type ComparedField = (typeof comparedFields)[number];

/** What an image's config JSON holds, as far as the comparison goes (buildah's Docker and OCI views both fit). */
export interface ConfigDocument {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly author?: string;
  readonly config?: object;
}

/** Labels every buildah image carries; not part of what the Dockerfile asked for. */
const buildahOwnLabels = ['io.buildah.version'];

/**
 * Canonical text of each compared field. Empty values (`""`, `[]`, `{}`, `null`, `false` for ArgsEscaped) count as
 * absent: both builders omit them, or not, without a difference in meaning. Maps are written with sorted keys.
 */
export function configFields(doc: ConfigDocument): Readonly<Record<ComparedField, string>> {
  const runtime: Record<string, unknown> = { ...(doc.config ?? {}) };
  if (runtime['Labels'] && typeof runtime['Labels'] === 'object') {
    const labels = { ...(runtime['Labels'] as Record<string, string>) };
    for (const l of buildahOwnLabels) delete labels[l];
    runtime['Labels'] = labels;
  }
  const out = {} as Record<ComparedField, string>;
  for (const f of comparedFields) {
    const top = f === 'architecture' || f === 'os' || f === 'variant' || f === 'author';
    out[f] = canonical(top ? doc[f] : runtime[f]);
  }
  return out;
}

function canonical(v: unknown): string {
  if (v === undefined || v === null || v === '' || v === false) return 'absent';
  if (Array.isArray(v)) return v.length === 0 ? 'absent' : JSON.stringify(v);
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    if (entries.length === 0) return 'absent';
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function sortedJson(v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) return canonical(v) === 'absent' ? '{}' : canonical(v);
  return JSON.stringify(v);
}

export function compareConfigs(ours: ConfigDocument, buildah: ConfigDocument): Difference[] {
  const a = configFields(ours);
  const b = configFields(buildah);
  return comparedFields
    .filter((f) => a[f] !== b[f])
    .map((f) => ({ kind: 'config', field: f, ours: a[f], buildah: b[f] }));
}

/**
 * Problems with our history after the base's entries: `created_by` texts other than BuildKit's (the fixture's
 * `history`), and `empty_layer` flags that contradict BuildKit's rule (RUN/COPY/ADD and WORKDIR other than `/`
 * make a layer; everything else is metadata) or the number of layers.
 */
export function checkHistory(
  config: ImageConfig,
  baseEntries: number,
  expected: readonly string[] | undefined,
): string[] {
  const all = config.history ?? [];
  const own = all.slice(baseEntries);
  const problems: string[] = [];
  if (expected !== undefined) {
    const got = own.map((h) => h.created_by ?? '');
    const n = Math.max(got.length, expected.length);
    for (let i = 0; i < n; i++) {
      if (got[i] !== expected[i])
        problems.push(`history[${i}]: ours=${JSON.stringify(got[i])} want=${JSON.stringify(expected[i])}`);
    }
  }
  for (const [i, h] of own.entries()) {
    if (Boolean(h.empty_layer) === makesLayer(h))
      problems.push(`history[${i}] ${JSON.stringify(h.created_by)}: empty_layer=${Boolean(h.empty_layer)}`);
  }
  const layers = all.filter((h) => !h.empty_layer).length;
  if (layers !== config.rootfs.diff_ids.length)
    problems.push(`${layers} non-empty history entries for ${config.rootfs.diff_ids.length} layers`);
  return problems;
}

function makesLayer(h: HistoryEntry): boolean {
  const text = h.created_by ?? '';
  return text.endsWith(' # buildkit') || (text.startsWith('WORKDIR ') && text !== 'WORKDIR /');
}
