/** The report's way out: step outputs, the job summary and the pull-request comment. */
import * as core from '@actions/core';
import type { Logger } from '../log.js';
import {
  commentMarker,
  prCommentMarkdown,
  reportOutputs,
  summaryMarkdown,
  type RunReport,
} from '../report/index.js';
import type { Inputs } from './inputs.js';
import { outputNames } from './names.js';
import { upsertPrComment } from './pr-comment.js';
import type { RunEvent } from './run-event.js';
import type { Env } from './run-context.js';

export function writeOutputs(report: RunReport): void {
  const outputs = reportOutputs(report);
  for (const name of outputNames) core.setOutput(name, outputs[name]);
}

export async function writeSummary(report: RunReport, logger: Logger): Promise<void> {
  try {
    await core.summary.addRaw(summaryMarkdown(report), true).write();
  } catch (err) {
    logger.warn(`could not write the job summary: ${(err as Error).message}`);
  }
}

/** Comments on a same-repository pull request whose preview was pushed; forks and skipped pushes get none. */
export async function commentOnPullRequest(
  report: RunReport,
  inputs: Inputs,
  event: RunEvent,
  env: Env,
  logger: Logger,
): Promise<void> {
  if (!inputs.prComment || report.publication.kind !== 'pushed') return;
  if (event.kind !== 'pull-request' && event.kind !== 'pull-request-target') return;
  if (event.fork && event.kind === 'pull-request') return;
  if (inputs.githubToken === '') {
    logger.warn('no github-token, so no pull request comment');
    return;
  }
  await upsertPrComment(
    {
      token: inputs.githubToken,
      repository: env['GITHUB_REPOSITORY'] ?? '',
      number: event.number,
      apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    },
    commentMarker(report.metadata.images[0] ?? ''),
    prCommentMarkdown(report),
    logger,
  );
}
