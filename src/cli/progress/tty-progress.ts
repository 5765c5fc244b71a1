import type { StepEvent } from '../../build/types.js';
import type { CliStream } from '../cli-io.js';
import { errorLine, failureBlock, stepDuration } from './failure-block.js';
import { formatSeconds, type Progress, type ProgressTask } from './progress.js';
import { StepTracker, type TrackedStep, type TrackerUpdate } from './step-tracker.js';

const redrawMs = 100;
const liveOutputLines = 6;
const clearBelow = '\x1b[0J';
const dim = (s: string): string => `\x1b[2m${s}\x1b[0m`;

/**
 * The live display for terminals. Finished steps are printed once, collapsed to one line
 * (` => CACHED [build 2/5] COPY . .`, ` => [build 3/5] RUN make   1.2s`); below them a live region shows the
 * running steps with their elapsed time and last output lines, redrawn in place with ANSI escapes at most
 * every 100 ms. A failed step's output is printed in full, plainly, when the build fails.
 */
export class TtyProgress implements Progress {
  private readonly tracker: StepTracker;
  private readonly startedAt: number;
  private readonly pending: string[] = [];
  private liveHeight = 0;
  private finishedCount = 0;
  private dirty = true;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly out: CliStream,
    private readonly now: () => number,
  ) {
    this.tracker = new StepTracker(now);
    this.startedAt = now();
    this.timer = setInterval(() => this.tick(), redrawMs);
    this.timer.unref();
  }

  step(event: StepEvent): void {
    this.take(this.tracker.apply(event));
  }

  begin(title: string): ProgressTask {
    const update = this.tracker.startTask(title);
    this.take(update);
    const step = update.started;
    return {
      done: (note) => {
        this.tracker.endTask(step);
        this.finished(step, note);
        this.dirty = true;
      },
      failed: (message) => {
        this.tracker.endTask(step);
        this.pending.push(` => ERROR ${step.title}: ${message}`);
        this.dirty = true;
      },
    };
  }

  message(text: string): void {
    this.pending.push(text);
    this.redraw(true);
  }

  failed(err: unknown): void {
    const step = this.tracker.running.at(-1);
    if (step) {
      this.tracker.endTask(step);
      this.pending.push(` => ERROR ${step.title}`, errorLine(err, step));
    }
    this.pending.push(...failureBlock(err, step, step && step.lines.length > 0 ? step.lines : undefined));
    this.redraw(true);
  }

  close(): void {
    clearInterval(this.timer);
    for (const s of this.tracker.finishOpen()) this.finished(s);
    this.pending.push(
      `[+] Building ${formatSeconds(this.now() - this.startedAt)} (${this.finishedCount} steps) FINISHED`,
    );
    this.redraw(true, false);
  }

  /** What the timer runs every 100 ms: redraw if something changed or a step is running (its time ticks). */
  tick(): void {
    this.redraw(false);
  }

  /** Redraws (`force`: even when nothing changed); `live` false leaves the live region off (at close). */
  private redraw(force: boolean, live = true): void {
    if (!force && !this.dirty && this.tracker.running.length === 0) return;
    const width = this.width();
    let text = this.liveHeight > 0 ? `\r\x1b[${this.liveHeight}A${clearBelow}` : '';
    for (const l of this.pending.splice(0)) text += `${l}\n`;
    const region = live ? this.liveRegion(width) : [];
    for (const l of region) text += `${l}\n`;
    this.liveHeight = region.length;
    this.dirty = false;
    if (text !== '') this.out.write(text);
  }

  /** Usable line width: one less than the terminal's (no auto-wrap at the last column); 80 when unknown. */
  private width(): number {
    const columns = this.out.columns !== undefined && this.out.columns > 0 ? this.out.columns : 80;
    return Math.max(20, columns - 1);
  }

  private liveRegion(width: number): string[] {
    const lines = [
      fit(
        `[+] Building ${formatSeconds(this.now() - this.startedAt)} (${this.finishedCount} steps done)`,
        width,
      ),
    ];
    for (const s of this.tracker.running) {
      lines.push(withTime(` => ${s.title}`, formatSeconds(this.now() - s.started), width));
      for (const l of s.lines.slice(-liveOutputLines)) lines.push(dim(fit(` => # ${printable(l)}`, width)));
    }
    return lines;
  }

  private take(update: TrackerUpdate): void {
    for (const s of update.finished) this.finished(s);
    if (update.started || update.output.length > 0) this.dirty = true;
  }

  private finished(s: TrackedStep, note?: string): void {
    this.finishedCount++;
    const cached = s.report?.status === 'cached';
    const title = ` => ${cached ? 'CACHED ' : ''}${s.title}${note ? ` ${note}` : ''}`;
    this.pending.push(withTime(title, formatSeconds(stepDuration(s)), this.width()));
    this.dirty = true;
  }
}

/** The text cut to `width` characters, with the time right-aligned after it. */
function withTime(text: string, time: string, width: number): string {
  const room = Math.max(10, width - time.length - 1);
  const head = fit(printable(text), room);
  return `${head}${' '.repeat(Math.max(1, width - head.length - time.length))}${time}`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Output as one display line: escape sequences and control characters removed, tabs as spaces. */
function printable(text: string): string {
  // Matching control characters is the point here: RUN output must not move the cursor inside the live region.
  // eslint-disable-next-line no-control-regex
  const escapes = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
  // eslint-disable-next-line no-control-regex
  const controls = /[\x00-\x1f\x7f]/g;
  return text.replace(escapes, '').replace(/\t/g, '  ').replace(controls, '');
}
