import type { CachedStep } from '../build/layer-cache.js';
import { canonicalJson, type KeyInputs } from '../plan/cache-key.js';
import type { Digest } from '../oci/digest.js';
import { fitToBudget } from './budget.js';
import {
  blobLocations,
  type CacheIndex,
  type IndexedPack,
  type IndexedSlot,
  type IndexedStep,
  type PackMember,
} from './cache-index.js';

/** What a build used and produced, as the save sees it. */
export interface RunRecord {
  /** Steps recorded by the builder, by key (the last record of a key wins). */
  readonly steps: ReadonlyMap<Digest, CachedStep>;
  /** Slot → this build's inputs. */
  readonly slots: ReadonlyMap<string, KeyInputs>;
  /** Step key → the slot it was recorded for. */
  readonly stepSlots: ReadonlyMap<Digest, string>;
  readonly bases: Readonly<Record<string, Digest>>;
  /** Packs found corrupt or missing in this run: never referenced again. */
  readonly badPacks: ReadonlySet<string>;
}

export interface PlanOptions {
  readonly now: number;
  readonly budgetBytes: number;
  readonly packMaxBytes: number;
  /** `packs`: new blobs grouped into packs up to packMaxBytes (gha, local); `blobs`: one unit per blob (registry). */
  readonly packing: 'packs' | 'blobs';
  /** Names a new pack from its members. */
  readonly unitKey: (members: readonly Digest[]) => string;
  /** Whether the local store has a blob (new units are filled from it). */
  readonly available: (digest: Digest) => Promise<boolean>;
  /** Refresh last-used times older than this even when nothing else changed (default one day). */
  readonly refreshAfterMs?: number;
  /** Steps kept per slot, most recently used first (default 4): older versions rarely come back. */
  readonly versionsPerSlot?: number;
}

export interface NewUnit {
  readonly key: string;
  readonly members: readonly PackMember[];
}

export interface SavePlan {
  /** The next index (mounts and savedAt are filled in by the caller). */
  readonly index: CacheIndex;
  /** Units to write, all of them kept by the budget. */
  readonly newUnits: readonly NewUnit[];
  /** Units the budget dropped (old ones, and new ones that did not fit). */
  readonly dropped: readonly { readonly key: string; readonly size: number; readonly isNew: boolean }[];
  /** Steps whose layer is neither cached nor in the local store: forgotten. */
  readonly unsaveable: number;
  /** The index says something new (beyond last-used times that are fresh enough). */
  readonly changed: boolean;
}

const slotLimit = 1000;
const day = 24 * 3600 * 1000;

/** Computes the next index of a scope: which layers to pack, what the budget drops, what to remember. */
export async function planSave(previous: CacheIndex, run: RunRecord, o: PlanOptions): Promise<SavePlan> {
  const sorted = await sortSteps(previous, run, o);
  const created = groupUnits(sorted.fresh, o);
  const units: Record<string, IndexedPack> = {};
  for (const [key, pack] of Object.entries(previous.packs)) {
    if (run.badPacks.has(key)) continue;
    units[key] = sorted.usedUnits.has(key) ? { ...pack, lastUsed: o.now } : pack;
  }
  for (const u of created) units[u.key] = { members: u.members, size: sum(u.members), lastUsed: o.now };
  const fit = fitToBudget(
    Object.entries(units).map(([key, p]) => ({ key, size: p.size, lastUsed: p.lastUsed })),
    o.budgetBytes,
  );
  const fitted = pick(units, (k) => fit.keep.has(k));
  const located = blobLocations({ ...previous, packs: fitted });
  const steps = nextSteps(previous, sorted.saveable, run.stepSlots, located, o);
  // Units no kept step needs any more (their steps were older versions of a slot) go too.
  const needed = new Set(Object.values(steps).map((s) => s.layer.descriptor.digest));
  const packs = pick(fitted, (_, u) => u.members.some((m) => needed.has(m.digest)));
  const createdKeys = new Set(created.map((u) => u.key));
  const dropped = [
    ...fit.drop.map((d) => ({ key: d.key, size: d.size, isNew: createdKeys.has(d.key) })),
    ...Object.entries(fitted)
      .filter(([k]) => !(k in packs))
      .map(([key, u]) => ({ key, size: u.size, isNew: createdKeys.has(key) })),
  ];
  const slots = nextSlots(previous.slots, run.slots, o.now);
  const index: CacheIndex = { ...previous, steps, slots, packs, bases: { ...previous.bases, ...run.bases } };
  const newUnits = created.filter((u) => u.key in packs);
  const refreshed = differs(previous, index, o.refreshAfterMs ?? day, o.now);
  return {
    index,
    newUnits,
    dropped,
    unsaveable: sorted.unsaveable,
    changed: newUnits.length > 0 || dropped.length > 0 || refreshed,
  };
}

/** This run's steps: in an existing unit, new (their blob is in the store), or lost. */
async function sortSteps(previous: CacheIndex, run: RunRecord, o: PlanOptions) {
  const where = blobLocations(previous, run.badPacks);
  const usedUnits = new Set<string>();
  const fresh = new Map<Digest, number>();
  const saveable = new Map<Digest, CachedStep>();
  let unsaveable = 0;
  for (const step of run.steps.values()) {
    const d = step.layer.descriptor;
    const unit = where.get(d.digest);
    if (unit !== undefined) usedUnits.add(unit);
    else if (fresh.has(d.digest) || (await o.available(d.digest))) fresh.set(d.digest, d.size);
    else {
      unsaveable++;
      continue;
    }
    saveable.set(step.key, step);
  }
  return {
    usedUnits,
    saveable,
    unsaveable,
    fresh: [...fresh].map(([digest, size]): PackMember => ({ digest, size })),
  };
}

function pick<T>(
  record: Readonly<Record<string, T>>,
  keep: (key: string, value: T) => boolean,
): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => keep(k, v)));
}

function groupUnits(blobs: readonly PackMember[], o: PlanOptions): NewUnit[] {
  if (o.packing === 'blobs') return blobs.map((b) => ({ key: o.unitKey([b.digest]), members: [b] }));
  const groups: PackMember[][] = [];
  let current: PackMember[] = [];
  for (const b of blobs) {
    if (current.length > 0 && sum(current) + b.size > o.packMaxBytes) {
      groups.push(current);
      current = [];
    }
    current.push(b);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((members) => ({ key: o.unitKey(members.map((m) => m.digest)), members }));
}

/**
 * Previous steps that still have a layer, plus this run's (with a fresh last-used time), at most
 * `versionsPerSlot` per slot, most recently used first.
 */
function nextSteps(
  previous: CacheIndex,
  used: ReadonlyMap<Digest, CachedStep>,
  slotOf: ReadonlyMap<Digest, string>,
  kept: ReadonlyMap<Digest, string>,
  o: PlanOptions,
): Record<string, IndexedStep> {
  const all: IndexedStep[] = [];
  for (const step of Object.values(previous.steps))
    if (kept.has(step.layer.descriptor.digest) && !used.has(step.key)) all.push(step);
  for (const step of used.values()) {
    if (!kept.has(step.layer.descriptor.digest)) continue;
    const slot = slotOf.get(step.key);
    const { key, inputs, layer, created } = step;
    all.push({ key, inputs, layer, created, lastUsed: o.now, ...(slot !== undefined ? { slot } : {}) });
  }
  all.sort((a, b) => b.lastUsed - a.lastUsed || (a.key < b.key ? -1 : 1));
  const perSlot = new Map<string, number>();
  const out: Record<string, IndexedStep> = {};
  for (const step of all) {
    const group = step.slot ?? step.key;
    const n = perSlot.get(group) ?? 0;
    if (n >= (o.versionsPerSlot ?? 4)) continue;
    perSlot.set(group, n + 1);
    out[step.key] = step;
  }
  return out;
}

function nextSlots(
  previous: Readonly<Record<string, IndexedSlot>>,
  used: ReadonlyMap<string, KeyInputs>,
  now: number,
): Record<string, IndexedSlot> {
  const all: [string, IndexedSlot][] = Object.entries(previous).filter(([k]) => !used.has(k));
  for (const [slot, inputs] of used) all.push([slot, { inputs, lastUsed: now }]);
  all.sort((a, b) => b[1].lastUsed - a[1].lastUsed);
  return Object.fromEntries(all.slice(0, slotLimit));
}

/** Whether the next index says anything new: other content, or last-used times that had gone stale. */
function differs(previous: CacheIndex, next: CacheIndex, refreshAfterMs: number, now: number): boolean {
  const strip = (i: CacheIndex): string =>
    canonicalJson(
      JSON.parse(
        JSON.stringify({ ...i, savedAt: 0 }, (k, v: unknown) => (k === 'lastUsed' ? undefined : v)),
      ) as never,
    );
  if (strip(previous) !== strip(next)) return true;
  const stale = (before: { lastUsed: number } | undefined, after: { lastUsed: number }): boolean =>
    after.lastUsed === now && (before === undefined || now - before.lastUsed > refreshAfterMs);
  for (const [k, p] of Object.entries(next.packs)) if (stale(previous.packs[k], p)) return true;
  for (const [k, s] of Object.entries(next.steps)) if (stale(previous.steps[k], s)) return true;
  return false;
}

function sum(members: readonly PackMember[]): number {
  return members.reduce((n, m) => n + m.size, 0);
}
