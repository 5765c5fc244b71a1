import { rm } from 'node:fs/promises';
import { describeError } from '../../errors.js';
import { stepKey, diffInputs, type KeyInputs } from '../../plan/cache-key.js';
import { writeLayer } from '../../oci/layer-writer.js';
import type { CachedStep } from '../layer-cache.js';
import { LayeredFs, type LayerDir } from '../rootfs/layered-fs.js';
import { snapshotUpper } from '../snapshot/snapshot-upper.js';
import type { BuildSession, StageState, StepInfo } from '../session.js';
import type { MissReason, StepReport } from '../types.js';
import { historyComment } from '../history.js';

export interface FsStepSpec {
  /** The step's own inputs; `parent` (the filesystem it starts from) is added here. */
  readonly inputs: KeyInputs;
  readonly history: string;
  /** `COPY --link`: the layer is made on an empty filesystem, so the key does not depend on the parent. */
  readonly independent?: boolean;
  /** Writes the step's changes into `upper`, over `lowers` (topmost first; empty for an independent step). */
  readonly execute: (upper: string, lowers: readonly LayerDir[]) => Promise<void>;
}

/**
 * A step that changes the filesystem (RUN, COPY, ADD, WORKDIR): looked up by its chained cache key (this
 * machine's step cache, then the cross-run cache), otherwise executed into a fresh upper dir, snapshotted into
 * a layer and recorded. Either way the stage gains one layer, as in BuildKit (an unchanged filesystem still
 * gives an empty layer).
 */
export async function runFsStep(
  s: BuildSession,
  state: StageState,
  info: StepInfo,
  spec: FsStepSpec,
): Promise<StageState> {
  // The epoch changes file times in the layer and the compression its blob: both are part of every key.
  const inputs: KeyInputs = {
    ...spec.inputs,
    parent: spec.independent ? null : state.chainKey,
    epoch: s.req.sourceDateEpoch ?? null,
    compression: s.req.compression,
  };
  const key = stepKey(inputs);
  const found = s.req.noCache ? undefined : await lookup(s, key);
  let step: CachedStep;
  let status: StepReport['status'];
  let reason: MissReason | undefined;
  if (found) {
    step = found.step;
    status = 'cached';
  } else {
    reason = await explainMiss(s, info, inputs);
    step = await execute(s, state, key, inputs, spec);
    status = 'built';
  }
  await s.stepCache.recordSlot(info.slot, inputs);
  s.host.cache?.record(step, info.slot);
  const created =
    s.req.sourceDateEpoch !== undefined ? new Date(s.req.sourceDateEpoch * 1000).toISOString() : step.created;
  const draft = state.draft.withLayer(
    { descriptor: step.layer.descriptor, diffId: step.layer.diffId },
    { created, created_by: spec.history, comment: historyComment },
  );
  report(s, info, {
    status,
    key,
    inputs,
    ...(reason ? { reason } : {}),
    layer: {
      digest: step.layer.descriptor.digest,
      diffId: step.layer.diffId,
      size: step.layer.descriptor.size,
      ...(found ? { cacheSource: found.source } : {}),
    },
  });
  return { ...state, draft, chainKey: key, lastCreated: created };
}

async function lookup(
  s: BuildSession,
  key: CachedStep['key'],
): Promise<{ step: CachedStep; source: 'local' | 'cache' } | undefined> {
  const local = await s.stepCache.get(key);
  // The store may have lost the blob since (gc, a wiped work dir): then the local record is no use.
  if (local && (await s.host.store.has(local.layer.descriptor.digest)))
    return { step: local, source: 'local' };
  if (!s.host.cache || s.badKeys.has(key)) return undefined;
  try {
    const remote = await s.host.cache.lookup(key);
    if (remote) {
      s.remoteLayers.set(remote.layer.descriptor.digest, remote);
      await s.stepCache.put(remote);
      return { step: remote, source: 'cache' };
    }
  } catch (err) {
    s.host.logger.warn(`layer cache lookup failed, building the step: ${describeError(err)}`);
  }
  return undefined;
}

async function explainMiss(s: BuildSession, info: StepInfo, inputs: KeyInputs): Promise<MissReason> {
  if (s.req.noCache) return { kind: 'no-cache' };
  let previous = await s.stepCache.previousInputs(info.slot);
  if (!previous && s.host.cache)
    previous = await s.host.cache.previousInputs(info.slot).catch(() => undefined);
  if (!previous) return { kind: 'first-build' };
  if (JSON.stringify(previous['parent'] ?? null) !== JSON.stringify(inputs['parent'] ?? null)) {
    const own = diffInputs({ ...previous, parent: null }, { ...inputs, parent: null });
    return own.length > 0 ? { kind: 'inputs-changed', changes: own } : { kind: 'parent-changed' };
  }
  const changes = diffInputs(previous, inputs);
  return changes.length > 0 ? { kind: 'inputs-changed', changes } : { kind: 'first-build' };
}

async function execute(
  s: BuildSession,
  state: StageState,
  key: CachedStep['key'],
  inputs: KeyInputs,
  spec: FsStepSpec,
): Promise<CachedStep> {
  const lowers = spec.independent ? [] : await stageLowers(s, state);
  const upper = await s.layerDirs.newUpper();
  const t0 = s.host.clock.now().getTime();
  try {
    await spec.execute(upper, lowers);
    const t1 = s.host.clock.now().getTime();
    const snapshot = snapshotUpper({
      upper,
      below: new LayeredFs(lowers),
      ...(s.req.sourceDateEpoch !== undefined ? { sourceDateEpoch: s.req.sourceDateEpoch } : {}),
      privilege: s.host.privilege,
      hostEnv: s.host.hostEnv,
    });
    const written = await writeLayer(snapshot.tar, await s.host.store.ingest(), {
      compression: s.req.compression,
    });
    const summary = await snapshot.summary;
    await s.layerDirs.adopt(upper, written.diffId, summary.opaque);
    const t2 = s.host.clock.now().getTime();
    s.host.logger.debug(
      `step ${key.slice(7, 19)}: ran in ${t1 - t0} ms; layer of ${summary.entries} entries, ` +
        `${written.uncompressedSize} → ${written.size} bytes in ${t2 - t1} ms`,
    );
    const step: CachedStep = {
      key,
      inputs,
      layer: {
        diffId: written.diffId,
        descriptor: { mediaType: written.mediaType, digest: written.digest, size: written.size },
      },
      created: s.host.clock.now().toISOString(),
    };
    await s.stepCache.put(step);
    return step;
  } catch (err) {
    await s.layerDirs
      .removeTree(upper)
      .catch(() => rm(upper, { recursive: true, force: true }).catch(() => undefined));
    throw err;
  }
}

/** The unpacked layer directories of the stage so far, topmost first (an empty one for scratch). */
export async function stageLowers(s: BuildSession, state: StageState): Promise<LayerDir[]> {
  const dirs = await Promise.all(
    state.draft.layers.map((l, i) =>
      s.layerDirs.get(l, `layer ${i + 1} of stage ${state.plan.label} (${l.descriptor.digest})`),
    ),
  );
  return dirs.reverse();
}

export function report(
  s: BuildSession,
  info: StepInfo,
  r: Omit<StepReport, 'id' | 'stage' | 'instruction' | 'line' | 'durationMs'>,
): void {
  const full: StepReport = {
    id: info.id,
    stage: info.stage,
    instruction: info.instruction,
    line: info.line,
    durationMs: s.host.clock.now().getTime() - info.started,
    ...r,
  };
  s.reports.push(full);
  s.host.onStep?.({ kind: 'end', report: full });
}
