import type { StepReport } from '../../src/build/types.js';
import { measureSave, type CacheReport } from '../../src/cache/index.js';
import { sha256 } from '../../src/oci/digest.js';

const stepOf = (status: StepReport['status'], name: string, size: number): StepReport => ({
  id: name,
  stage: '0',
  instruction: name,
  line: 1,
  status,
  durationMs: 0,
  layer: { digest: sha256(name), diffId: sha256(`d${name}`), size },
});
const reportOf = (written: number, sizeBytes: number): CacheReport => ({
  backend: 'local',
  scope: 's',
  index: { kind: 'none' },
  lookups: { hits: 0, misses: 0 },
  restored: { entries: 0, bytes: 0 },
  saved: { entries: 1, bytes: written, keys: [] },
  mounted: { entries: 0, bytes: 0 },
  pruned: { entries: 0, bytes: 0 },
  sizeBytes,
  access: { kind: 'read-write' },
  warnings: [],
});

const cases = [
  {
    name: 'ratio of bytes written to the layers of executed steps',
    given: {
      steps: [stepOf('cached', 'a', 500), stepOf('built', 'b', 1000), stepOf('built', 'c', 1000)],
      written: 2100,
    },
    want: { written: 2100, changedLayers: 2000, ratio: 1.05, cacheBytes: 9 },
  },
  {
    name: 'a layer two steps share counts once',
    given: {
      steps: [stepOf('built', 'b', 1000), { ...stepOf('built', 'b', 1000), id: 'again' }],
      written: 1000,
    },
    want: { written: 1000, changedLayers: 1000, ratio: 1, cacheBytes: 9 },
  },
  {
    name: 'nothing ran, nothing written',
    given: { steps: [stepOf('cached', 'a', 5)], written: 0 },
    want: { written: 0, changedLayers: 0, ratio: 0, cacheBytes: 9 },
  },
  {
    name: 'nothing ran but something written',
    given: { steps: [], written: 10 },
    want: { written: 10, changedLayers: 0, ratio: Infinity, cacheBytes: 9 },
  },
];

describe('measureSave', () => {
  it.each(cases)('$name', ({ given, want }) =>
    expect(measureSave(given.steps, reportOf(given.written, 9))).toEqual(want),
  );
});
