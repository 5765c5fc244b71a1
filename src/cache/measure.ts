import type { StepReport } from '../build/types.js';
import type { CacheReport } from './types.js';

/** The benchmark figures of one save, from the build's steps and the cache report. */
export interface SaveMeasure {
  /** Bytes the save wrote (packs or blobs, mount snapshots, index). */
  readonly written: number;
  /** Compressed size of the layers of steps this build executed (the "changed layers"). */
  readonly changedLayers: number;
  /** written / changedLayers (Infinity when nothing changed but something was written, 0 when neither). */
  readonly ratio: number;
  /** Layer bytes the cache references after the save (the budget bounds it). */
  readonly cacheBytes: number;
}

/**
 * Measures a save for the benchmark's two targets: bytes written after a change ≤ 1.1 × the changed layers,
 * and the cache's size staying under its budget build after build.
 */
export function measureSave(steps: readonly StepReport[], report: CacheReport): SaveMeasure {
  const seen = new Set<string>();
  let changedLayers = 0;
  for (const s of steps) {
    if (s.status !== 'built' || !s.layer || seen.has(s.layer.digest)) continue;
    seen.add(s.layer.digest);
    changedLayers += s.layer.size;
  }
  const written = report.saved.bytes;
  const ratio = changedLayers > 0 ? written / changedLayers : written > 0 ? Infinity : 0;
  return { written, changedLayers, ratio, cacheBytes: report.sizeBytes };
}
