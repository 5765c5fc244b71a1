/** The core's Logger on top of @actions/core: info/warning/debug lines, one folded group per build step. */
import * as core from '@actions/core';
import type { StepEvent } from '../build/types.js';
import type { Logger } from '../log.js';
import { formatBytes, formatDuration, missText } from '../report/index.js';

export class ActionLogger implements Logger {
  private inGroup = false;
  /** RUN output arrives in chunks; lines are printed whole. */
  private partial = '';

  debug(message: string): void {
    core.debug(message);
  }
  info(message: string): void {
    core.info(message);
  }
  warn(message: string): void {
    core.warning(message);
  }
  error(message: string): void {
    core.error(message);
  }

  /** Groups do not nest in the Actions log: a group inside a group runs flat. */
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    if (this.inGroup) return fn();
    this.inGroup = true;
    try {
      return await core.group(title, fn);
    } finally {
      this.inGroup = false;
    }
  }

  /** The builder's step events: a group per step with its output, closed by a one-line result. */
  onStep(event: StepEvent): void {
    switch (event.kind) {
      case 'start':
        this.closeGroup();
        core.startGroup(event.title);
        this.inGroup = true;
        return;
      case 'output': {
        const lines = (this.partial + event.text).split(/\r?\n/);
        this.partial = lines.pop() ?? '';
        for (const line of lines) core.info(line);
        return;
      }
      case 'end': {
        const r = event.report;
        const layer = r.layer ? `, layer ${formatBytes(r.layer.size)}` : '';
        const how = r.status === 'built' && r.reason ? `built (${missText(r.reason)})` : r.status;
        core.info(`${how} in ${formatDuration(r.durationMs)}${layer}`);
        this.closeGroup();
        return;
      }
    }
  }

  /** Ends the last step's group (config steps have no end event). */
  finishSteps(): void {
    this.closeGroup();
  }

  private closeGroup(): void {
    if (this.partial !== '') core.info(this.partial);
    this.partial = '';
    if (!this.inGroup) return;
    core.endGroup();
    this.inGroup = false;
  }
}
