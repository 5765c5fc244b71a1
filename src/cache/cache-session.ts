import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CachedStep } from '../build/layer-cache.js';
import { CacheError, describeError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/types.js';
import type { KeyInputs } from '../plan/cache-key.js';
import type { BlobStore } from '../store/types.js';
import { blobLocations, type CacheIndex, type IndexedMount } from './cache-index.js';
import type { CrossRunCache } from './cross-run-cache.js';
import { fingerprintDir, type MountTools } from './mount-snapshot.js';
import type { OpenedMount } from './mount-save.js';
import { sessionFormat, type SessionState } from './session-state.js';
import type { RunRecord } from './save-plan.js';
import type { CacheAccess, CacheBackendKind, CacheOptions, CacheReport } from './types.js';

/** Everything the session needs besides its backend. */
export type SessionOptions = Omit<CacheOptions, 'backend'>;

/** Mutable totals of a save, folded into the report. */
export interface SaveTotals {
  saved: { entries: number; bytes: number; keys: string[] };
  mounted: { entries: number; bytes: number };
  pruned: { entries: number; bytes: number };
  sizeBytes: number;
}

/**
 * The part every backend shares: answering the builder from the restored index, recording what the build used,
 * opening cache mounts, warnings and the report. Backends say how units (packs or blobs) and mount snapshots
 * are fetched, and how a save is written.
 */
export abstract class CacheSession implements CrossRunCache {
  abstract readonly backend: CacheBackendKind;
  protected index: CacheIndex;
  protected origin: CacheReport['index'];
  protected access: CacheAccess;
  protected readonly steps = new Map<Digest, CachedStep>();
  protected readonly slots = new Map<string, KeyInputs>();
  protected readonly stepSlots = new Map<Digest, string>();
  protected bases: Record<string, Digest> = {};
  protected readonly badUnits = new Set<string>();
  protected readonly mounts = new Map<string, Promise<OpenedMount | undefined>>();
  /** Keys, not calls: a build retried after an undeliverable layer looks its steps up again. */
  protected readonly lookups = { hits: new Set<Digest>(), misses: new Set<Digest>() };
  protected readonly restored = { entries: 0, bytes: 0 };
  protected readonly warnings: string[] = [];
  protected totals: SaveTotals = {
    saved: { entries: 0, bytes: 0, keys: [] },
    mounted: { entries: 0, bytes: 0 },
    pruned: { entries: 0, bytes: 0 },
    sizeBytes: 0,
  };
  private locations: Map<Digest, string> | undefined;
  private saving: Promise<CacheReport> | undefined;

  constructor(
    protected readonly o: SessionOptions,
    readonly scope: string,
    loaded: { readonly index: CacheIndex; readonly origin: CacheReport['index'] },
    state?: SessionState,
  ) {
    this.index = loaded.index;
    this.origin = loaded.origin;
    this.access = o.readOnly
      ? { kind: 'read-only', reason: o.readOnlyReason ?? 'the cache is read-only for this run' }
      : { kind: 'read-write' };
    if (state) this.adopt(state);
  }

  /**
   * Downloads a unit (pack or blob) and stores its blobs. Returns why the unit is unusable (some blob corrupt or
   * missing) or undefined when it was fine; throws when it could not be fetched at all.
   */
  protected abstract fetchUnit(unit: string, digest: Digest, into: BlobStore): Promise<string | undefined>;
  /** Restores a mount snapshot into `dir`; returns the bytes downloaded. */
  protected abstract restoreMount(id: string, mount: IndexedMount, dir: string): Promise<number>;
  /** Writes the save; never called for a read-only session. */
  protected abstract persist(run: RunRecord, mounts: readonly OpenedMount[]): Promise<void>;

  async lookup(key: Digest): Promise<CachedStep | undefined> {
    const step = this.index.steps[key];
    if (!step || !this.where().has(step.layer.descriptor.digest)) {
      this.lookups.misses.add(key);
      return undefined;
    }
    this.lookups.hits.add(key);
    return { key: step.key, inputs: step.inputs, layer: step.layer, created: step.created };
  }

  async previousInputs(slot: string): Promise<KeyInputs | undefined> {
    return this.index.slots[slot]?.inputs;
  }

  record(step: CachedStep, slot: string): void {
    this.steps.set(step.key, step);
    this.slots.set(slot, step.inputs);
    this.stepSlots.set(step.key, slot);
  }

  async fetchLayer(step: CachedStep, into: BlobStore): Promise<void> {
    if (!(await this.fetchBlob(step.layer.descriptor, into)))
      throw new CacheError(`layer ${step.layer.descriptor.digest} is not in the cache any more`);
  }

  async fetchBlob(d: Descriptor, into: BlobStore): Promise<boolean> {
    if (await into.has(d.digest)) return true;
    let failure: CacheError | undefined;
    for (let unit = this.where().get(d.digest); unit !== undefined; unit = this.where().get(d.digest)) {
      let problem: string | undefined;
      try {
        problem = await this.fetchUnit(unit, d.digest, into);
      } catch (err) {
        problem = describeError(err);
      }
      if (await into.has(d.digest)) {
        if (problem !== undefined) this.markBad(unit, problem);
        return true;
      }
      problem ??= `it does not hold layer ${d.digest}`;
      this.markBad(unit, problem);
      failure = new CacheError(`cache entry ${unit} could not deliver layer ${d.digest}: ${problem}`);
    }
    if (failure) throw failure;
    return false;
  }

  openCacheMount(id: string, dir: string): Promise<void> {
    let p = this.mounts.get(id);
    if (!p) {
      p = this.openMount(id, dir);
      this.mounts.set(id, p);
    }
    return p.then(() => undefined);
  }

  noteBuild(build: { readonly bases: ReadonlyMap<string, Digest> }): void {
    for (const [ref, digest] of build.bases) this.bases[ref] = digest;
  }

  previousBases(): ReadonlyMap<string, Digest> {
    return new Map(Object.entries(this.index.bases));
  }

  async suspend(file: string): Promise<void> {
    const mounts = (await Promise.all(this.mounts.values())).filter((m): m is OpenedMount => m !== undefined);
    const state: SessionState = {
      format: sessionFormat,
      backend: this.backend,
      index: this.index,
      origin: this.origin,
      steps: [...this.steps.values()],
      slots: [...this.slots],
      stepSlots: [...this.stepSlots],
      bases: this.bases,
      badUnits: [...this.badUnits],
      mounts,
      lookups: { hits: [...this.lookups.hits], misses: [...this.lookups.misses] },
      restored: this.restored,
      access: this.access,
      warnings: this.warnings,
    };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(state));
    await rename(`${file}.tmp`, file);
  }

  save(): Promise<CacheReport> {
    this.saving ??= this.saveOnce();
    return this.saving;
  }

  report(): CacheReport {
    return {
      backend: this.backend,
      scope: this.scope,
      index: this.origin,
      lookups: {
        hits: this.lookups.hits.size,
        misses: [...this.lookups.misses].filter((k) => !this.lookups.hits.has(k)).length,
      },
      restored: { ...this.restored },
      saved: { ...this.totals.saved, keys: [...this.totals.saved.keys] },
      mounted: { ...this.totals.mounted },
      pruned: { ...this.totals.pruned },
      sizeBytes: this.totals.sizeBytes,
      access: this.access,
      warnings: [...this.warnings],
    };
  }

  protected warn(message: string): void {
    this.o.logger.warn(message);
    this.warnings.push(message);
  }

  protected get tools(): MountTools {
    return { privilege: this.o.privilege, hostEnv: this.o.hostEnv };
  }

  protected get ioRoot(): string {
    return join(this.o.workRoot, 'cache-io');
  }

  protected setReadOnly(reason: string): void {
    if (this.access.kind === 'read-only') return;
    this.access = { kind: 'read-only', reason };
    this.warn(`cache: restore only from now on — ${reason}`);
  }

  protected where(): Map<Digest, string> {
    this.locations ??= blobLocations(this.index, this.badUnits);
    return this.locations;
  }

  private markBad(unit: string, problem: string): void {
    // layers of one entry are fetched in parallel: the first to find it broken says so
    if (this.badUnits.has(unit)) return;
    this.badUnits.add(unit);
    this.locations = undefined;
    this.warn(`cache entry ${unit} is unusable (${problem}); its layers are rebuilt and saved again`);
  }

  private async openMount(id: string, dir: string): Promise<OpenedMount | undefined> {
    const snapshot = this.index.mounts[id];
    if (!snapshot || (await exists(dir))) return { id, dir };
    try {
      this.restored.bytes += await this.restoreMount(id, snapshot, dir);
      this.restored.entries++;
      const restoredFingerprint = await fingerprintDir(dir, this.tools);
      return { id, dir, ...(restoredFingerprint ? { restoredFingerprint } : {}) };
    } catch (err) {
      this.warn(`cache mount ${JSON.stringify(id)} was not restored: ${describeError(err)}`);
      return { id, dir };
    }
  }

  private async saveOnce(): Promise<CacheReport> {
    if (this.access.kind === 'read-only') {
      this.o.logger.info(`cache: nothing saved (${this.access.reason})`);
      return this.report();
    }
    try {
      const mounts = (await Promise.all(this.mounts.values())).filter(
        (m): m is OpenedMount => m !== undefined,
      );
      const run: RunRecord = {
        steps: this.steps,
        slots: this.slots,
        stepSlots: this.stepSlots,
        bases: this.bases,
        badPacks: this.badUnits,
      };
      await this.persist(run, mounts);
    } catch (err) {
      this.warn(`cache was not saved: ${describeError(err)}`);
    }
    return this.report();
  }

  private adopt(state: SessionState): void {
    for (const s of state.steps) this.steps.set(s.key, s);
    for (const [slot, inputs] of state.slots) this.slots.set(slot, inputs);
    for (const [key, slot] of state.stepSlots) this.stepSlots.set(key, slot);
    this.bases = { ...state.bases };
    for (const u of state.badUnits) this.badUnits.add(u);
    for (const m of state.mounts) this.mounts.set(m.id, Promise.resolve(m));
    for (const k of state.lookups.hits) this.lookups.hits.add(k);
    for (const k of state.lookups.misses) this.lookups.misses.add(k);
    Object.assign(this.restored, state.restored);
    this.access = state.access;
    this.warnings.push(...state.warnings);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
