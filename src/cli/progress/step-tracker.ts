import type { StepEvent, StepReport } from '../../build/types.js';

/** A step as the display shows it: numbered in start order (`#1`, `#2`…), like BuildKit's vertices. */
export interface TrackedStep {
  readonly number: number;
  readonly title: string;
  readonly started: number;
  /** RUN output lines so far (the last `keepLines`), and the unfinished last line. */
  readonly lines: string[];
  partial: string;
  ended?: number;
  report?: StepReport;
}

/** What a step event changed: steps that finished (in order) and the line updates. */
export interface TrackerUpdate {
  readonly started?: TrackedStep;
  readonly finished: readonly TrackedStep[];
  /** Complete output lines, with their step. */
  readonly output: readonly { readonly step: TrackedStep; readonly line: string }[];
}

/**
 * Turns the builder's events into numbered steps. The builder runs one step at a time; a step that never sends
 * `end` (FROM) is finished when the next one starts, or when the build ends.
 */
export class StepTracker {
  private next = 1;
  private readonly byId = new Map<string, TrackedStep>();
  private readonly open: TrackedStep[] = [];

  constructor(
    private readonly now: () => number,
    private readonly keepLines = 200,
  ) {}

  get running(): readonly TrackedStep[] {
    return this.open;
  }

  apply(event: StepEvent): TrackerUpdate {
    switch (event.kind) {
      case 'start': {
        const finished = this.finishOpen();
        const step: TrackedStep = {
          number: this.next++,
          title: oneLine(event.title),
          started: this.now(),
          lines: [],
          partial: '',
        };
        this.byId.set(event.id, step);
        this.open.push(step);
        return { started: step, finished, output: [] };
      }
      case 'output': {
        const step = this.byId.get(event.id);
        if (!step) return { finished: [], output: [] };
        return { finished: [], output: this.addOutput(step, event.text) };
      }
      case 'end': {
        const step = this.byId.get(event.report.id);
        if (!step || step.ended !== undefined) return { finished: [], output: [] };
        const output = this.flushPartial(step);
        step.report = event.report;
        this.close(step);
        return { finished: [step], output };
      }
    }
  }

  /** Starts a task of the CLI's own (export, push). */
  startTask(title: string): TrackerUpdate & { started: TrackedStep } {
    const finished = this.finishOpen();
    const step: TrackedStep = { number: this.next++, title, started: this.now(), lines: [], partial: '' };
    this.open.push(step);
    return { started: step, finished, output: [] };
  }

  endTask(step: TrackedStep): void {
    this.close(step);
  }

  /** Finishes every open step (the build ended or the next step started). */
  finishOpen(): TrackedStep[] {
    const done = [...this.open];
    for (const s of done) this.close(s);
    return done;
  }

  private close(step: TrackedStep): void {
    step.ended ??= this.now();
    const i = this.open.indexOf(step);
    if (i >= 0) this.open.splice(i, 1);
  }

  private addOutput(step: TrackedStep, text: string): { step: TrackedStep; line: string }[] {
    const parts = (step.partial + text.replace(/\r\n/g, '\n')).split('\n');
    step.partial = parts.pop() ?? '';
    const out = parts.map((line) => ({ step, line: lastCarriageSegment(line) }));
    this.keep(
      step,
      out.map((o) => o.line),
    );
    return out;
  }

  private flushPartial(step: TrackedStep): { step: TrackedStep; line: string }[] {
    if (step.partial === '') return [];
    const line = lastCarriageSegment(step.partial);
    step.partial = '';
    this.keep(step, [line]);
    return [{ step, line }];
  }

  private keep(step: TrackedStep, lines: readonly string[]): void {
    step.lines.push(...lines);
    if (step.lines.length > this.keepLines) step.lines.splice(0, step.lines.length - this.keepLines);
  }
}

/** An instruction continued over several lines shows on one, its runs of blanks collapsed. */
function oneLine(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

/** A progress bar redrawn with `\r` shows as its last state. */
function lastCarriageSegment(line: string): string {
  const segments = line.split('\r').filter((s) => s !== '');
  return segments.at(-1) ?? '';
}
