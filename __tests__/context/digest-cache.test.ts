import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checksumSelection,
  FileDigestCache,
  openBuildContext,
  selectSources,
} from '../../src/context/index.js';

let dir: string;
let cacheFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ib-digests-'));
  cacheFile = join(dir, '..', `${dir.split('/').pop()}-digests.json`);
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}.txt`), `content ${i}\n`);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheFile, { force: true });
});

async function checksum(cache: FileDigestCache): Promise<{ sum: string; reads: number }> {
  const ctx = await openBuildContext({ dir, digestCache: cache });
  const sum = await checksumSelection(ctx, await selectSources(ctx, { sources: ['.'] }));
  return { sum, reads: ctx.stats().contentReads };
}

describe('context digests remembered across builds', () => {
  it('an unchanged context is checksummed without reading a file', async () => {
    const first = await FileDigestCache.load(cacheFile);
    const a = await checksum(first);
    expect(a.reads).toBe(20);
    await first.save();
    const b = await checksum(await FileDigestCache.load(cacheFile));
    expect(b).toEqual({ sum: a.sum, reads: 0 });
  });

  it('an edit that keeps size and mtime is still seen (ctime moves)', async () => {
    const first = await FileDigestCache.load(cacheFile);
    const a = await checksum(first);
    await first.save();
    const f = join(dir, 'f3.txt');
    const { atime, mtime } = statSync(f);
    writeFileSync(f, 'CONTENT 3\n'); // same length
    utimesSync(f, atime, mtime);
    const b = await checksum(await FileDigestCache.load(cacheFile));
    expect(b.reads).toBe(1);
    expect(b.sum).not.toBe(a.sum);
  });

  it('a damaged cache file is an empty cache', async () => {
    writeFileSync(cacheFile, '{not json');
    const c = await FileDigestCache.load(cacheFile);
    expect((await checksum(c)).reads).toBe(20);
  });
});
