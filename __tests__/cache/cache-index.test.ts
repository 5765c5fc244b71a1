import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blobLocations,
  emptyIndex,
  indexFileName,
  indexFormat,
  parseIndex,
  readIndexFile,
  writeIndexFile,
} from '../../src/cache/cache-index.js';
import { CacheError } from '../../src/errors.js';
import { sha256 } from '../../src/oci/digest.js';

const d = sha256('layer');
const goodStep = {
  key: sha256('k'),
  inputs: { op: 'run' },
  layer: {
    diffId: sha256('diff'),
    descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d, size: 3 },
  },
  created: '2026-01-01T00:00:00Z',
  lastUsed: 5,
};
const goodPack = { members: [{ digest: d, size: 3 }], size: 3, lastUsed: 5 };

describe('parseIndex', () => {
  const rejected = [
    {
      name: 'not JSON',
      given: '{',
      want: /cache index x is not valid JSON — it is ignored; the next save replaces it/,
    },
    {
      name: 'another format',
      given: JSON.stringify({ format: 'v0', scope: 's' }),
      want: /has an unknown format — it was written by another image-build version/,
    },
    { name: 'an array', given: '[]', want: /unknown format/ },
  ];
  it.each(rejected)('$name is a CacheError', ({ given, want }) => {
    expect(() => parseIndex(given, 'x')).toThrow(CacheError);
    expect(() => parseIndex(given, 'x')).toThrow(
      expect.objectContaining({ userMessage: expect.any(Function) }),
    );
    try {
      parseIndex(given, 'x');
    } catch (err) {
      expect((err as CacheError).userMessage()).toMatch(want);
    }
  });

  const entries = [
    { name: 'a step with a bad digest', field: 'steps', bad: { ...goodStep, key: 'sha256:nothex' } },
    { name: 'a step without a layer', field: 'steps', bad: { ...goodStep, layer: undefined } },
    { name: 'a pack with a negative size', field: 'packs', bad: { ...goodPack, size: -1 } },
    {
      name: 'a pack with a malformed member',
      field: 'packs',
      bad: { ...goodPack, members: [{ digest: 'x', size: 1 }] },
    },
    { name: 'a mount without a fingerprint', field: 'mounts', bad: { entry: 'k', size: 1, lastUsed: 1 } },
    { name: 'a base that is not a digest', field: 'bases', bad: 'latest' },
  ];
  it.each(entries)('drops $name and keeps the rest', ({ field, bad }) => {
    const good = {
      steps: goodStep,
      packs: goodPack,
      mounts: { entry: 'k', fingerprint: 'f', size: 1, lastUsed: 1 },
      bases: d,
    }[field];
    const text = JSON.stringify({ ...emptyIndex('s'), [field]: { good, bad } });
    const parsed = parseIndex(text, 'x') as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed[field]!)).toEqual(['good']);
  });

  it('round-trips an index', () => {
    const index = {
      ...emptyIndex('s'),
      savedAt: 9,
      steps: { [goodStep.key]: goodStep },
      packs: { p: goodPack },
    };
    expect(parseIndex(JSON.stringify(index), 'x')).toEqual(index);
    expect(index.format).toBe(indexFormat);
  });
});

describe('blobLocations', () => {
  it('maps each blob to the first good pack holding it', () => {
    const index = { ...emptyIndex('s'), packs: { p1: goodPack, p2: goodPack } };
    expect(blobLocations(index).get(d)).toBe('p1');
    expect(blobLocations(index, new Set(['p1'])).get(d)).toBe('p2');
    expect(blobLocations(index, new Set(['p1', 'p2'])).has(d)).toBe(false);
  });
});

describe('index files', () => {
  it('round-trip gzip-compressed; a damaged file is a CacheError, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-index-'));
    try {
      const index = { ...emptyIndex('s'), packs: { p: goodPack } };
      await writeIndexFile(dir, index);
      expect(await readIndexFile(dir, 'k')).toEqual(index);
      writeFileSync(join(dir, indexFileName), 'not gzip');
      await expect(readIndexFile(dir, 'k')).rejects.toThrow(
        /cache index k cannot be read: .*incorrect header check/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
