import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { corpusDir, sharedCorpusDir, type CorpusName } from './helpers/corpus.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const names: CorpusName[] = ['dockerfile-parser', 'dockerignore'];

describe.each(names)('vendored corpus %s', (name) => {
  it('holds data, a LICENSE and a NOTICE', () => {
    const list = files(corpusDir(name)).map((f) => relative(corpusDir(name), f));
    expect(list).toEqual(expect.arrayContaining(['LICENSE', 'NOTICE']));
    expect(list.filter((f) => !/^(LICENSE|NOTICE|README.md)$/.test(f)).length).toBeGreaterThan(1);
  });

  const shared = sharedCorpusDir(name);
  (existsSync(shared) ? it : it.skip)('is byte-identical to the shared original', () => {
    const mine = files(corpusDir(name))
      .map((f) => relative(corpusDir(name), f))
      .sort();
    const theirs = files(shared)
      .map((f) => relative(shared, f))
      .sort();
    expect(mine).toEqual(theirs);
    for (const f of mine)
      expect(readFileSync(join(corpusDir(name), f)).equals(readFileSync(join(shared, f)))).toBe(true);
  });
});
