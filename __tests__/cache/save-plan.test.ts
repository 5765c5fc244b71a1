import type { CachedStep } from '../../src/build/layer-cache.js';
import { emptyIndex, type CacheIndex } from '../../src/cache/cache-index.js';
import { planSave, type PlanOptions, type RunRecord } from '../../src/cache/save-plan.js';
import { packKey } from '../../src/cache/scope.js';
import { sha256, type Digest } from '../../src/oci/digest.js';

const day = 24 * 3600 * 1000;
const now = 100 * day;

function step(name: string, size: number): CachedStep {
  return {
    key: sha256(`key ${name}`),
    inputs: { op: 'run', args: [name] },
    layer: {
      diffId: sha256(`diff ${name}`),
      descriptor: {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256(`blob ${name}`),
        size,
      },
    },
    created: '2026-01-01T00:00:00.000Z',
  };
}
const blob = (name: string): Digest => sha256(`blob ${name}`);

/** An index holding the given steps in one pack, last used at `lastUsed`. */
function indexWith(groups: { steps: CachedStep[]; lastUsed: number }[]): CacheIndex {
  const packs: Record<string, CacheIndex['packs'][string]> = {};
  const steps: Record<string, CacheIndex['steps'][string]> = {};
  for (const g of groups) {
    const members = g.steps.map((s) => ({
      digest: s.layer.descriptor.digest,
      size: s.layer.descriptor.size,
    }));
    packs[packKey(members.map((m) => m.digest))] = {
      members,
      size: members.reduce((n, m) => n + m.size, 0),
      lastUsed: g.lastUsed,
    };
    for (const s of g.steps) steps[s.key] = { ...s, lastUsed: g.lastUsed, slot: `slot ${s.key}` };
  }
  return {
    ...emptyIndex('scope'),
    steps,
    packs,
    slots: Object.fromEntries(
      groups.flatMap((g) =>
        g.steps.map((s) => [`slot ${s.key}`, { inputs: s.inputs, lastUsed: g.lastUsed }]),
      ),
    ),
  };
}

function record(steps: CachedStep[], bad: string[] = []): RunRecord {
  return {
    steps: new Map(steps.map((s) => [s.key, s])),
    slots: new Map(steps.map((s) => [`slot ${s.key}`, s.inputs])),
    stepSlots: new Map(steps.map((s) => [s.key, `slot ${s.key}`])),
    bases: {},
    badPacks: new Set(bad),
  };
}

function options(stored: CachedStep[], over: Partial<PlanOptions> = {}): PlanOptions {
  const have = new Set(stored.map((s) => s.layer.descriptor.digest));
  return {
    now,
    budgetBytes: 10_000,
    packMaxBytes: 1_000,
    packing: 'packs',
    unitKey: (m) => packKey(m),
    available: async (d) => have.has(d),
    ...over,
  };
}

const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((n) => step(n, 400)) as [
  CachedStep,
  CachedStep,
  CachedStep,
  CachedStep,
  CachedStep,
];

describe('planSave', () => {
  it('packs only the layers no pack holds, and marks the used packs as used now', async () => {
    const previous = indexWith([{ steps: [a, b], lastUsed: now - 2 * day }]);
    const plan = await planSave(previous, record([a, b, c]), options([c]));
    expect(plan.newUnits).toEqual([
      { key: packKey([blob('c')]), members: [{ digest: blob('c'), size: 400 }] },
    ]);
    expect(Object.values(plan.index.packs).map((p) => p.lastUsed)).toEqual([now, now]);
    expect(Object.keys(plan.index.steps).sort()).toEqual([a.key, b.key, c.key].sort());
    expect(plan.changed).toBe(true);
  });

  it('splits new layers into packs of at most packMaxBytes (a bigger layer gets a pack of its own)', async () => {
    const big = step('big', 5_000);
    const plan = await planSave(
      emptyIndex('scope'),
      record([a, b, c, big]),
      options([a, b, c, big], { budgetBytes: 100_000 }),
    );
    expect(plan.newUnits.map((u) => u.members.map((m) => m.size))).toEqual([[400, 400], [400], [5_000]]);
  });

  it('one unit per blob for the registry', async () => {
    const plan = await planSave(
      emptyIndex('scope'),
      record([a, b]),
      options([a, b], { packing: 'blobs', unitKey: (m) => m[0]! }),
    );
    expect(plan.newUnits.map((u) => u.key)).toEqual([blob('a'), blob('b')]);
  });

  it('nothing new and fresh last-used times: nothing to save', async () => {
    const previous = indexWith([{ steps: [a, b], lastUsed: now - 3600_000 }]);
    const plan = await planSave(previous, record([a, b]), options([]));
    expect(plan.newUnits).toEqual([]);
    expect(plan.changed).toBe(false);
  });

  it('nothing new but last-used times a day stale: the index is saved to move them', async () => {
    const previous = indexWith([{ steps: [a, b], lastUsed: now - 2 * day }]);
    expect((await planSave(previous, record([a, b]), options([]))).changed).toBe(true);
  });

  it('drops the least recently used packs over the budget, and the steps only they held', async () => {
    const previous = indexWith([
      { steps: [a], lastUsed: now - 9 * day },
      { steps: [b], lastUsed: now - 5 * day },
    ]);
    const plan = await planSave(previous, record([c, d]), options([c, d], { budgetBytes: 1_300 }));
    expect(plan.dropped).toEqual([{ key: packKey([blob('a')]), size: 400, isNew: false }]);
    expect(Object.keys(plan.index.steps).sort()).toEqual([b.key, c.key, d.key].sort());
  });

  it('new layers that do not fit are dropped before any upload', async () => {
    const plan = await planSave(
      emptyIndex('scope'),
      record([a, b, c, d, e]),
      options([a, b, c, d, e], { budgetBytes: 900, packMaxBytes: 400 }),
    );
    expect(plan.newUnits).toHaveLength(2);
    expect(plan.dropped.filter((x) => x.isNew)).toHaveLength(3);
    expect(Object.keys(plan.index.steps)).toHaveLength(2);
  });

  it('a bad pack is forgotten and its layers packed again from the store', async () => {
    const previous = indexWith([{ steps: [a, b], lastUsed: now - 3600_000 }]);
    const bad = packKey([blob('a'), blob('b')]);
    const plan = await planSave(
      previous,
      record([a, b], [bad]),
      options([a, b], { unitKey: (m) => packKey(m, 'run-1') }),
    );
    expect(Object.keys(plan.index.packs)).toEqual([packKey([blob('a'), blob('b')], 'run-1')]);
    expect(plan.newUnits).toHaveLength(1);
  });

  it('a step whose layer is neither cached nor stored is forgotten', async () => {
    const plan = await planSave(emptyIndex('scope'), record([a, b]), options([a]));
    expect(plan.unsaveable).toBe(1);
    expect(Object.keys(plan.index.steps)).toEqual([a.key]);
  });

  it('remembers the slots of this run with the earlier ones', async () => {
    const previous = indexWith([{ steps: [a], lastUsed: now - 3600_000 }]);
    const plan = await planSave(previous, record([b]), options([b]));
    expect(Object.keys(plan.index.slots).sort()).toEqual([`slot ${a.key}`, `slot ${b.key}`].sort());
  });
});

describe('planSave: versions per slot', () => {
  it('keeps the most recent versions of a slot and drops the packs only older versions needed', async () => {
    const versions = [0, 1, 2, 3, 4, 5].map((i) => step(`v${i}`, 100));
    // v0..v4 were built in earlier runs for the same slot, one pack each, v4 the most recent
    let previous = emptyIndex('scope');
    for (const [i, v] of versions.slice(0, 5).entries()) {
      const one = indexWith([{ steps: [v], lastUsed: now - (10 - i) * 3600_000 }]);
      previous = {
        ...previous,
        packs: { ...previous.packs, ...one.packs },
        steps: { ...previous.steps, [v.key]: { ...one.steps[v.key]!, slot: 'Dockerfile|app|3|run' } },
      };
    }
    const latest = versions[5]!;
    const run: RunRecord = {
      ...record([latest]),
      stepSlots: new Map([[latest.key, 'Dockerfile|app|3|run']]),
    };
    const plan = await planSave(previous, run, options([latest], { versionsPerSlot: 3 }));
    const kept = Object.values(plan.index.steps).map((s) => s.inputs['args']);
    expect(kept).toEqual([['v5'], ['v4'], ['v3']]);
    expect(plan.dropped.map((d) => d.key).sort()).toEqual(
      [packKey([blob('v0')]), packKey([blob('v1')]), packKey([blob('v2')])].sort(),
    );
    expect(Object.keys(plan.index.packs)).toHaveLength(3);
  });
});
