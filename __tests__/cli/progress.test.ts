/**
 * The progress displays, driven by builder step events with a manual clock: plain lines (BuildKit's
 * `--progress=plain` shape) and the live terminal display (collapsed finished steps, a redrawn live region, the
 * failed step's output shown plainly).
 */
import type { StepEvent, StepReport } from '../../src/build/types.js';
import { PlainProgress } from '../../src/cli/progress/plain-progress.js';
import { createProgress } from '../../src/cli/progress/progress.js';
import { TtyProgress } from '../../src/cli/progress/tty-progress.js';
import { BuildStepError } from '../../src/errors.js';

class Clock {
  t = 1_000_000;
  now = (): number => this.t;
}

function sink(columns = 60): {
  write(t: string): void;
  text: () => string;
  writes: string[];
  columns: number;
  isTTY: boolean;
} {
  const writes: string[] = [];
  return { write: (t) => void writes.push(t), text: () => writes.join(''), writes, columns, isTTY: true };
}

const report = (id: string, status: StepReport['status'], durationMs: number): StepReport => ({
  id,
  stage: 'build',
  instruction: 'x',
  line: 1,
  status,
  durationMs,
});

type Step = StepEvent | { tick: number };

function play(progress: { step(e: StepEvent): void }, clock: Clock, steps: readonly Step[]): void {
  for (const s of steps) {
    if ('tick' in s) clock.t += s.tick;
    else progress.step(s);
  }
}

const build: Step[] = [
  { kind: 'start', id: '1.0', title: '[base] FROM scratch' },
  { tick: 5 },
  { kind: 'start', id: '1.1', title: '[base 1/2] COPY rootfs/ /' },
  { tick: 300 },
  { kind: 'end', report: report('1.1', 'cached', 2) },
  { kind: 'start', id: '1.2', title: '[base 2/2] RUN make' },
  { kind: 'output', id: '1.2', text: 'cc -o a a.c\ncc -o b' },
  { kind: 'output', id: '1.2', text: ' b.c\n50%\r100%\nno newline at the end' },
  { tick: 1234 },
  { kind: 'end', report: report('1.2', 'built', 1234) },
];

describe('plain progress', () => {
  interface Case {
    readonly name: string;
    readonly given: readonly Step[];
    readonly want: readonly string[];
  }
  const cases: Case[] = [
    {
      name: 'one line per start/end; FROM (no end event) done when the next step starts; RUN output per line',
      given: build,
      want: [
        '#1 [base] FROM scratch',
        '#1 DONE 0.0s',
        '#2 [base 1/2] COPY rootfs/ /',
        '#2 CACHED',
        '#3 [base 2/2] RUN make',
        '#3 cc -o a a.c',
        '#3 cc -o b b.c',
        '#3 100%',
        '#3 no newline at the end',
        '#3 DONE 1.2s',
      ],
    },
    {
      name: 'a step still open when the display closes is done',
      given: [{ kind: 'start', id: '1.0', title: '[stage-0] FROM scratch' }, { tick: 2500 }],
      want: ['#1 [stage-0] FROM scratch', '#1 DONE 2.5s'],
    },
    {
      name: 'an instruction continued over several lines shows on one line',
      given: [{ kind: 'start', id: '1.1', title: '[a 1/1] LABEL a=1 \\\n      b=2' }],
      want: ['#1 [a 1/1] LABEL a=1 \\ b=2', '#1 DONE 0.0s'],
    },
    {
      name: 'output of an unknown step is ignored',
      given: [{ kind: 'output', id: '9.9', text: 'stray\n' }],
      want: [],
    },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    const clock = new Clock();
    const out = sink();
    const p = new PlainProgress(out, clock.now);
    play(p, clock, given);
    p.close();
    expect(out.text()).toBe(want.map((l) => `${l}\n`).join(''));
  });

  it('tasks of the CLI (export, push) look like steps, with a note', () => {
    const clock = new Clock();
    const out = sink();
    const p = new PlainProgress(out, clock.now);
    const t = p.begin('exporting to oci:out');
    clock.t += 100;
    t.done('sha256:abc');
    p.begin('pushing r/a:1').failed('denied');
    p.close();
    expect(out.text()).toBe(
      '#1 exporting to oci:out\n#1 sha256:abc\n#1 DONE 0.1s\n#2 pushing r/a:1\n#2 ERROR: denied\n',
    );
  });

  it('a failed RUN: the ERROR line, then its last output lines between rules', () => {
    const clock = new Clock();
    const out = sink();
    const p = new PlainProgress(out, clock.now);
    play(p, clock, [
      { kind: 'start', id: '1.1', title: '[build 1/1] RUN make' },
      { kind: 'output', id: '1.1', text: 'compiling\nboom\n' },
    ]);
    p.failed(
      new BuildStepError('process "/bin/sh -c make" did not complete successfully: exit code: 2', {
        location: { file: 'Dockerfile', line: 3 },
        outputTail: ['compiling', 'boom'],
        exitCode: 2,
      }),
    );
    p.close();
    expect(out.text().split('\n')).toEqual([
      '#1 [build 1/1] RUN make',
      '#1 compiling',
      '#1 boom',
      '#1 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      '------',
      ' > [build 1/1] RUN make:',
      '#1 compiling',
      '#1 boom',
      '------',
      '',
    ]);
  });
});

describe('tty progress', () => {
  it('prints finished steps once, collapsed, and redraws the running ones only on its timer', () => {
    const clock = new Clock();
    const out = sink(60);
    const p = new TtyProgress(out, clock.now);
    play(p, clock, build.slice(0, 7)); // RUN make is running, with output
    expect(out.writes).toEqual([]); // events never write: the 100 ms timer (or close) does
    p.tick();
    const first = out.text();
    expect(first).toContain(' => [base] FROM scratch');
    expect(first).toContain(' => CACHED [base 1/2] COPY rootfs/ /');
    expect(first).toMatch(/ => \[base 2\/2\] RUN make +0\.0s\n/);
    expect(first).toContain(' => # cc -o a a.c');
    expect(first).toMatch(/\[\+\] Building 0\.3s \(2 steps done\)/);
    clock.t += 2000;
    p.tick();
    const second = out.writes.at(-1)!;
    // the live region (header, the running step and its output line) is erased and drawn again
    expect(second.startsWith('\r\x1b[3A\x1b[0J')).toBe(true);
    expect(second).toMatch(/RUN make +2\.0s/);
    expect(second).not.toContain('CACHED'); // finished steps are not printed again
    play(p, clock, build.slice(7));
    p.close();
    const all = out.text();
    expect(all).toMatch(/ => \[base 2\/2\] RUN make +1\.2s\n/);
    expect(all).toMatch(/\[\+\] Building 3\.5s \(3 steps\) FINISHED\n$/);
    // eslint-disable-next-line no-control-regex -- removing the display's own escape sequences
    const visible = all.replace(/\r|\x1b\[[0-9;]*[A-Za-z]/g, '');
    for (const line of visible.split('\n')) expect(line.length).toBeLessThanOrEqual(59);
  });

  it('an unknown terminal width (0, as under script(1)) means 80 columns', () => {
    const clock = new Clock();
    const out = sink(0);
    const p = new TtyProgress(out, clock.now);
    p.step({ kind: 'start', id: '1.1', title: `[a 1/1] RUN ${'y'.repeat(50)}` });
    p.step({ kind: 'end', report: report('1.1', 'built', 100) });
    p.close();
    expect(out.text()).toContain(` => [a 1/1] RUN ${'y'.repeat(50)}`);
  });

  it('cuts long titles to the terminal width and strips control characters from output', () => {
    const clock = new Clock();
    const out = sink(40);
    const p = new TtyProgress(out, clock.now);
    p.step({ kind: 'start', id: '1.1', title: `[build 1/1] RUN ${'x'.repeat(80)}` });
    p.step({ kind: 'output', id: '1.1', text: '\x1b[31mred\x1b[0m\tcolumn\x07\n' });
    p.tick();
    const text = out.text();
    expect(text).toContain('RUN xxxxxxx');
    expect(text).toContain('…');
    expect(text).toContain(' => # red  column');
    expect(text).not.toContain('\x07');
    p.close();
  });

  it('a failed step: its whole output is printed plainly, then the error', () => {
    const clock = new Clock();
    const out = sink(60);
    const p = new TtyProgress(out, clock.now);
    p.step({ kind: 'start', id: '1.1', title: '[build 1/1] RUN test' });
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    p.step({ kind: 'output', id: '1.1', text: lines.join('\n') + '\n' });
    p.failed(
      new BuildStepError('process "/bin/sh -c test" did not complete successfully: exit code: 1', {
        outputTail: lines.slice(-20),
      }),
    );
    p.close();
    const text = out.text();
    expect(text).toContain(' => ERROR [build 1/1] RUN test\n');
    for (const l of lines) expect(text).toContain(`#1 ${l}\n`); // all 30, not only the 20-line tail
    expect(text).toContain(
      '#1 ERROR: process "/bin/sh -c test" did not complete successfully: exit code: 1\n',
    );
  });

  it('messages (warnings) go above the live region at once', () => {
    const clock = new Clock();
    const out = sink(60);
    const p = new TtyProgress(out, clock.now);
    p.step({ kind: 'start', id: '1.1', title: '[a 1/1] RUN sleep 1' });
    p.message('warning: something');
    expect(out.text()).toMatch(/^warning: something\n\[\+\] Building/);
    p.close();
  });
});

describe('createProgress', () => {
  const cases = [
    { name: 'auto on a terminal is live', mode: 'auto', isTTY: true, env: {}, want: TtyProgress },
    { name: 'auto on a pipe is plain', mode: 'auto', isTTY: false, env: {}, want: PlainProgress },
    {
      name: 'auto on a dumb terminal is plain',
      mode: 'auto',
      isTTY: true,
      env: { TERM: 'dumb' },
      want: PlainProgress,
    },
    { name: 'plain on a terminal is plain', mode: 'plain', isTTY: true, env: {}, want: PlainProgress },
    { name: 'tty on a pipe is live', mode: 'tty', isTTY: false, env: {}, want: TtyProgress },
  ] as const;
  test.each(cases)('$name', ({ mode, isTTY, env, want }) => {
    const p = createProgress(mode, { write: () => undefined, isTTY }, () => 0, env);
    expect(p).toBeInstanceOf(want);
    p.close();
  });
});
