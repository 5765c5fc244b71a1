import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCacheStore } from '../../src/cache/index.js';
import { TestClock } from './cache-helpers.js';

let dir: string;
let store: LocalCacheStore;
const clock = new TestClock();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ib-local-store-'));
  store = new LocalCacheStore(dir, clock);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function saveEntry(key: string, content: string) {
  const d = await store.prepare('index');
  writeFileSync(join(d, 'f.txt'), content);
  return store.save('index', key, d);
}

describe('LocalCacheStore', () => {
  it('saves an entry atomically and restores it by exact key', async () => {
    expect(await saveEntry('image-build-index-a-1-1', 'one')).toEqual({ kind: 'saved', bytes: 3 });
    const r = (await store.restore('index', 'image-build-index-a-1-1'))!;
    expect(readFileSync(join(r.dir, 'f.txt'), 'utf8')).toBe('one');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]); // the prepared dir became the entry
  });

  it('restores the newest entry of the first prefix that has one', async () => {
    await saveEntry('image-build-index-a-1-1', 'a1');
    await saveEntry('image-build-index-b-1-1', 'b1');
    await saveEntry('image-build-index-a-2-1', 'a2');
    const cases = [
      {
        name: 'own prefix first',
        given: ['image-build-index-a-', 'image-build-index-b-'],
        want: 'image-build-index-a-2-1',
      },
      {
        name: 'fallback prefix',
        given: ['image-build-index-c-', 'image-build-index-b-'],
        want: 'image-build-index-b-1-1',
      },
      { name: 'nothing', given: ['image-build-index-c-'], want: undefined },
    ];
    for (const c of cases)
      expect([c.name, (await store.restore('index', 'image-build-index-x-9-9', c.given))?.key]).toEqual([
        c.name,
        c.want,
      ]);
  });

  it('an existing key is never overwritten: the second save reports it exists', async () => {
    await saveEntry('image-build-pack-1', 'first');
    expect(await saveEntry('image-build-pack-1', 'second')).toEqual({ kind: 'exists' });
    const r = (await store.restore('pack', 'image-build-pack-1'))!;
    expect(readFileSync(join(r.dir, 'f.txt'), 'utf8')).toBe('first');
  });

  it('two concurrent saves of one key: one saved, one exists, the entry whole', async () => {
    const dirs = await Promise.all([store.prepare('pack'), store.prepare('pack')]);
    dirs.forEach((d, i) => writeFileSync(join(d, 'f.txt'), `writer ${i}`.repeat(1000)));
    const outcomes = await Promise.all(dirs.map((d) => store.save('pack', 'image-build-pack-2', d)));
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['exists', 'saved']);
    const r = (await store.restore('pack', 'image-build-pack-2'))!;
    expect(readFileSync(join(r.dir, 'f.txt'), 'utf8')).toMatch(/^(writer 0){1000}$|^(writer 1){1000}$/);
  });

  it('lists, removes, and ignores directories that are not entries', async () => {
    await saveEntry('image-build-pack-3', 'x');
    mkdirSync(join(dir, 'entries', 'half-written'));
    expect((await store.list()).map((e) => e.key)).toEqual(['image-build-pack-3']);
    await store.remove(['image-build-pack-3']);
    expect(await store.has('pack', 'image-build-pack-3')).toBe(false);
  });

  it('refuses keys that could leave the directory', async () => {
    const d = await store.prepare('pack');
    expect(await store.save('pack', '../escape', d)).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/invalid cache entry key "..\/escape"/),
    });
  });
});
