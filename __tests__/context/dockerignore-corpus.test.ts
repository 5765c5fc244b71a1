/**
 * The .dockerignore conformance corpus (vendored from ../shared/corpus/dockerignore/*.json, discovered by listing):
 * every match case through both matching paths (MatchesOrParentMatches and the walker's
 * MatchesUsingParentResults), every error case as a DockerfileError naming the file and the pattern.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileError } from '../../src/errors.js';
import { PatternMatcher, readIgnorePatterns, type MatchInfo } from '../../src/context/dockerignore.js';
import { corpusDir } from '../helpers/corpus.js';

const dir = corpusDir('dockerignore');

interface MatchCase {
  readonly patterns: readonly string[];
  readonly path: string;
  readonly excluded: boolean;
  readonly source: string;
  readonly derivation: string;
}

interface ErrorCase {
  readonly patterns: readonly string[];
  readonly path: string;
  readonly error: true;
  readonly source: string;
}

function loadCorpus(): { matches: MatchCase[]; errors: ErrorCase[] } {
  const matches: MatchCase[] = [];
  const errors: ErrorCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as (MatchCase | ErrorCase)[];
    for (const c of cases) {
      if ('error' in c) errors.push(c);
      else matches.push(c);
    }
  }
  return { matches, errors };
}

const corpus = loadCorpus();

function compileFile(patterns: readonly string[]): PatternMatcher {
  return PatternMatcher.compile(readIgnorePatterns(patterns.join('\n')), {
    kind: 'ignore-file',
    file: '.dockerignore',
  });
}

/** What a top-down walk computes for `path`, carrying MatchInfo from each parent directory. */
function walkVerdict(matcher: PatternMatcher, path: string): boolean {
  const parts = path.split('/');
  let info: MatchInfo | undefined;
  let matched = false;
  for (let i = 1; i <= parts.length; i++) {
    ({ matched, info } = matcher.matchesUsingParentResults(parts.slice(0, i).join('/'), info));
  }
  return matched;
}

describe('dockerignore corpus', () => {
  it('has the documented number of cases', () => {
    expect(corpus.matches).toHaveLength(126);
    expect(corpus.errors).toHaveLength(16);
  });

  describe.each(
    corpus.matches.map((c, i) => ({ ...c, name: `#${i} ${JSON.stringify(c.patterns)} ${c.path}` })),
  )('$name', (c) => {
    it(`is ${c.excluded ? 'excluded' : 'kept'} (MatchesOrParentMatches)`, () => {
      expect(compileFile(c.patterns).matches(c.path)).toBe(c.excluded);
    });
    it(`is ${c.excluded ? 'excluded' : 'kept'} (walk with parent results)`, () => {
      expect(walkVerdict(compileFile(c.patterns), c.path)).toBe(c.excluded);
    });
  });

  it.each(corpus.errors.map((c, i) => ({ ...c, name: `#${i} ${JSON.stringify(c.patterns)}` })))(
    'rejects $name when the matcher is built',
    (c) => {
      let caught: unknown;
      try {
        compileFile(c.patterns);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DockerfileError);
      const message = (caught as DockerfileError).userMessage();
      expect(message).toContain('.dockerignore');
      expect(message).toContain(`"${c.patterns[0]?.trim() ?? ''}"`);
      expect(message).not.toMatch(/\n|\s+at\s/);
    },
  );
});
