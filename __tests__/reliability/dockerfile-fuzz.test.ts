/**
 * Dockerfile fuzzing: thousands of seeded mutations of BuildKit's parser corpus (byte flips, line
 * duplication/deletion/splicing, heredoc and continuation tricks, huge lines, deep nesting, invalid UTF-8)
 * through everything a build does with a Dockerfile before touching a file system. Every failure must be a
 * DockerfileError with a one-line message; no input may hang or exhaust memory. The inputs run in a child
 * process (fuzz-driver.ts) with a capped heap and a watchdog: a synchronous loop cannot be interrupted inside
 * jest, so a hang there would freeze the suite instead of failing it. Plus the inputs that once broke the
 * front end, as named cases.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { FrontEndOutcome } from '../helpers/reliability-fuzz.js';

jest.setTimeout(300_000);

const here = import.meta.dirname;
/** Deterministic seeds × inputs each: the run is the same on every machine. */
const runs = [
  { seed: 20261122, count: 2000 },
  { seed: 7, count: 2000 },
];
/** A hang, not a slow input: no input may go this long without the next one starting. */
const stallMs = 30_000;
const heapCapMiB = 512;

interface DriverSummary {
  readonly ok: number;
  readonly dockerfileError: number;
  readonly crash: number;
  readonly peakHeapMiB: number;
}

interface DriverRun {
  readonly summary: DriverSummary | undefined;
  readonly crashes: readonly unknown[];
  readonly results: readonly FrontEndOutcome[];
  /** The input that made no progress for `stallMs`. */
  readonly stalledAt: number | undefined;
  readonly exit: string;
  readonly stderr: string;
}

/** Runs fuzz-driver.ts with a watchdog: a child that stops making progress is killed and the input named. */
function runDriver(args: readonly string[]): Promise<DriverRun> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${heapCapMiB}`,
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      join(here, '..', 'helpers', 'ts-loader.mjs'),
      join(here, 'fuzz-driver.ts'),
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let buffered = '';
  let stderr = '';
  let current = -1;
  let stalledAt: number | undefined;
  let summary: DriverSummary | undefined;
  const crashes: unknown[] = [];
  const results: FrontEndOutcome[] = [];
  let watchdog: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      stalledAt = current;
      child.kill('SIGKILL');
    }, stallMs);
  };
  arm();
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const space = line.indexOf(' ');
      const [word, rest] = [line.slice(0, space), line.slice(space + 1)];
      if (word === 'start') {
        current = Number(rest);
        arm();
      } else if (word === 'crash') crashes.push(JSON.parse(rest));
      else if (word === 'result') results.push(JSON.parse(rest) as FrontEndOutcome);
      else if (word === 'done') summary = JSON.parse(rest) as DriverSummary;
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      resolve({
        summary,
        crashes,
        results,
        stalledAt,
        exit: signal ?? String(code),
        stderr: stderr.slice(-2000),
      });
    });
  });
}

describe('Dockerfile fuzzing', () => {
  test.each(runs)(
    'seed $seed: $count mutated inputs, every failure a DockerfileError',
    async ({ seed, count }) => {
      const run = await runDriver(['mutate', String(seed), String(count)]);
      expect({ stalledAt: run.stalledAt, exit: run.exit, stderr: run.stderr, crashes: run.crashes }).toEqual({
        stalledAt: undefined,
        exit: '0',
        stderr: '',
        crashes: [],
      });
      const s = run.summary!;
      expect(s.ok + s.dockerfileError).toBe(count);
      // both outcomes occur: the mutations neither all break the input nor all leave it valid
      expect(s.ok).toBeGreaterThan(count / 20);
      expect(s.dockerfileError).toBeGreaterThan(count / 20);
      process.stdout.write(`fuzz ${JSON.stringify({ seed, count, ...s })}\n`);
    },
  );
});

interface RegressionCase {
  readonly name: string;
  readonly given: string;
  readonly want: { readonly kind: 'ok' } | { readonly kind: 'dockerfile-error'; readonly message: RegExp };
}

/** `n` words on continuation lines: one logical line far beyond the 64 KiB physical-line limit. */
const continued = (n: number, word: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => word(i)).join(' \\\n');

const regressions: RegressionCase[] = [
  {
    name: 'an open quote in a FROM image (was a ShellLexError)',
    given: "FROM ubunt':14\n",
    want: {
      kind: 'dockerfile-error',
      message: /^Dockerfile:1: failed to process "ubunt':14": unexpected end/,
    },
  },
  {
    name: 'a required global ARG in FROM (was a ShellLexError)',
    given: 'FROM ubuntu:${TAG:?}\n',
    want: { kind: 'dockerfile-error', message: /^Dockerfile:1: .*TAG: is not allowed to be unset/ },
  },
  {
    name: 'a bad substitution in FROM --platform (was a ShellLexError)',
    given: 'FROM --platform=${P:?} scratch\n',
    want: { kind: 'dockerfile-error', message: /^Dockerfile:1: .*P: is not allowed to be unset/ },
  },
  {
    name: '5 000 nested defaults (was a stack overflow quoting 30 KB)',
    given: `FROM scratch\nENV X=${'${A:-'.repeat(5000)}x${'}'.repeat(5000)}\n`,
    want: {
      kind: 'dockerfile-error',
      message:
        /^Dockerfile:2: failed to process "(\$\{A:-){40}"…: substitutions nested more than 100 levels deep/,
    },
  },
  {
    name: '100 nested defaults',
    given: `FROM scratch\nENV X=${'${A:-'.repeat(100)}x${'}'.repeat(100)}\n`,
    want: { kind: 'ok' },
  },
  {
    name: 'one ARG with 100 000 names, each default naming the one before (was quadratic)',
    given: `FROM scratch\nARG ${continued(100_000, (i) => `a${i}=$a${Math.max(i - 1, 0)}x`)}\n`,
    want: { kind: 'ok' },
  },
  {
    name: 'one ENV with 100 000 pairs',
    given: `FROM scratch\nENV ${continued(100_000, (i) => `e${i}=${i}`)}\n`,
    want: { kind: 'ok' },
  },
  {
    name: '50 000 ARG instructions (was quadratic)',
    given: `FROM scratch\n${'ARG B=x\n'.repeat(50_000)}`,
    want: { kind: 'ok' },
  },
  {
    name: '20 000 global ARGs',
    given: `${Array.from({ length: 20_000 }, (_, i) => `ARG G${i}=$G${Math.max(i - 1, 0)}`).join('\n')}\nFROM scratch\n`,
    want: { kind: 'ok' },
  },
  {
    name: 'a physical line over 64 KiB',
    given: `FROM scratch\nRUN ${'echo x; '.repeat(10_000)}\n`,
    want: {
      kind: 'dockerfile-error',
      message: /^Dockerfile:2: dockerfile line greater than max allowed size of 65535/,
    },
  },
  {
    name: 'a 2 MB RUN command on continuation lines',
    given: `FROM scratch\nRUN ${continued(40_000, () => 'echo 0123456789012345678901234567890123456789;')}\n`,
    want: { kind: 'ok' },
  },
  {
    name: 'an unterminated heredoc',
    given: 'FROM scratch\nRUN <<EOF\necho never ends\n',
    want: {
      kind: 'dockerfile-error',
      message: /^Dockerfile:2: unterminated heredoc — add a line containing only EOF$/,
    },
  },
  {
    name: '50 000 empty continuation lines',
    given: `FROM scratch\nRUN a${' \\\n'.repeat(50_000)}`,
    want: { kind: 'ok' },
  },
];

describe('inputs that once broke the front end, and extremes', () => {
  let run: DriverRun;
  const dir = mkdtempSync(join(tmpdir(), 'ib-fuzz-cases-'));
  beforeAll(async () => {
    const paths = regressions.map((c, i) => {
      writeFileSync(join(dir, String(i)), c.given);
      return join(dir, String(i));
    });
    run = await runDriver(['files', ...paths]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('none hangs (the quadratic ones ran for minutes) or exhausts the heap', () => {
    expect({ stalledAt: run.stalledAt, exit: run.exit, stderr: run.stderr }).toEqual({
      stalledAt: undefined,
      exit: '0',
      stderr: '',
    });
  });

  test.each(regressions.map((c, i) => ({ ...c, i })))('$name', ({ want, i }) => {
    const outcome = run.results[i];
    if (want.kind === 'ok') expect(outcome).toEqual({ kind: 'ok', stages: 1 });
    else {
      expect(outcome?.kind).toBe('dockerfile-error');
      expect(outcome?.kind === 'dockerfile-error' && outcome.message).toMatch(want.message);
    }
  });
});
