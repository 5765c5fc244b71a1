import type { StepEvent } from '../../build/types.js';
import type { CliStream } from '../cli-io.js';
import { errorLine, failureBlock, stepDuration } from './failure-block.js';
import { formatSeconds, type Progress, type ProgressTask } from './progress.js';
import { StepTracker, type TrackedStep, type TrackerUpdate } from './step-tracker.js';

/**
 * Plain progress, one line per event, for logs and pipes (BuildKit's `--progress=plain` shape):
 *
 *   #3 [build 2/5] RUN make
 *   #3 cc -o hello hello.c
 *   #3 DONE 1.2s
 *   #4 [build 3/5] COPY . .
 *   #4 CACHED
 */
export class PlainProgress implements Progress {
  private readonly tracker: StepTracker;

  constructor(
    private readonly out: CliStream,
    now: () => number,
  ) {
    this.tracker = new StepTracker(now);
  }

  step(event: StepEvent): void {
    this.show(this.tracker.apply(event));
  }

  begin(title: string): ProgressTask {
    const update = this.tracker.startTask(title);
    this.show(update);
    const step = update.started;
    return {
      done: (note) => {
        this.tracker.endTask(step);
        if (note) this.line(`#${step.number} ${note}`);
        this.line(`#${step.number} DONE ${formatSeconds((step.ended ?? step.started) - step.started)}`);
      },
      failed: (message) => {
        this.tracker.endTask(step);
        this.line(`#${step.number} ERROR: ${message}`);
      },
    };
  }

  message(text: string): void {
    this.line(text);
  }

  failed(err: unknown): void {
    const step = this.tracker.running.at(-1);
    if (step) {
      this.tracker.endTask(step);
      this.line(errorLine(err, step));
    }
    for (const l of failureBlock(err, step)) this.line(l);
  }

  close(): void {
    for (const s of this.tracker.finishOpen()) this.finished(s);
  }

  /** Output lines first (an end event flushes the last one), then finished steps, then the new one. */
  private show(update: TrackerUpdate): void {
    for (const o of update.output) this.line(`#${o.step.number} ${o.line}`);
    for (const s of update.finished) this.finished(s);
    if (update.started) this.line(`#${update.started.number} ${update.started.title}`);
  }

  private finished(s: TrackedStep): void {
    if (s.report?.status === 'cached') this.line(`#${s.number} CACHED`);
    else this.line(`#${s.number} DONE ${formatSeconds(stepDuration(s))}`);
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}
