/**
 * BuildKit's own parser fixtures (vendored from ../shared/corpus/dockerfile-parser, see its FORMAT.md), discovered by
 * listing: every positive case must dump byte-for-byte as its `result`, every negative case must throw a
 * DockerfileError with a location, and the line fixture must report BuildKit's line numbers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileError } from '../../src/errors.js';
import { dump } from '../../src/dockerfile/dump.js';
import { parse } from '../../src/dockerfile/parser.js';
import { corpusDir } from '../helpers/corpus.js';

const corpus = corpusDir('dockerfile-parser');
const casesIn = (dir: string): string[] =>
  readdirSync(path.join(corpus, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

const positive = casesIn('testfiles');
const negative = casesIn('testfiles-negative');

describe('corpus discovery', () => {
  test('finds the fixture folders (33 positive, 4 negative, as FORMAT.md lists)', () => {
    expect({ positive: positive.length, negative: negative.length }).toEqual({ positive: 33, negative: 4 });
  });
});

describe('testfiles: dump(parse(Dockerfile)) + "\\n" equals result byte for byte', () => {
  test.each(positive)('%s', (name) => {
    const bytes = readFileSync(path.join(corpus, 'testfiles', name, 'Dockerfile'));
    const want = readFileSync(path.join(corpus, 'testfiles', name, 'result'), 'utf8');
    expect(dump(parse(bytes, { file: `${name}/Dockerfile` })) + '\n').toBe(want);
  });
});

describe('testfiles-negative: parsing throws a DockerfileError with file and line', () => {
  test.each(negative)('%s', (name) => {
    const bytes = readFileSync(path.join(corpus, 'testfiles-negative', name, 'Dockerfile'));
    let thrown: unknown;
    try {
      parse(bytes, { file: `${name}/Dockerfile` });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DockerfileError);
    const err = thrown as DockerfileError;
    expect(err.location?.file).toBe(`${name}/Dockerfile`);
    expect(err.location?.line).toBeGreaterThanOrEqual(1);
    expect(err.userMessage()).toMatch(new RegExp(`^${name}/Dockerfile:\\d+: `));
  });
});

describe('testfile-line: 1-based physical line numbers', () => {
  test('three instructions at lines 5–5, 11–12 and 17–31', () => {
    const result = parse(readFileSync(path.join(corpus, 'testfile-line', 'Dockerfile')));
    expect(result.nodes.map((n) => [n.keyword, n.startLine, n.endLine])).toEqual([
      ['from', 5, 5],
      ['env', 11, 12],
      ['run', 17, 31],
    ]);
    expect(result.directives).toEqual([{ name: 'escape', value: '\\', line: 1 }]);
    expect(result.warnings.map((w) => w.line)).toEqual([31]);
  });
});
