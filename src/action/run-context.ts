/**
 * The facts of this run: the event and its payload (GITHUB_EVENT_PATH), the tag engine's GitContext, and the
 * SOURCE_DATE_EPOCH the build uses (by default the checked-out commit's time, so a rebuild of a commit
 * reproduces its digest).
 */
import { readFile } from 'node:fs/promises';
import { readGitFacts, runGit, type RunGit } from '../context/index.js';
import { InputError } from '../errors.js';
import type { Logger } from '../log.js';
import { gitContextFromGithubEnv, type GitContext } from '../tags/index.js';
import type { Inputs } from './inputs.js';
import type { EpochSetting } from './parse-values.js';
import { classifyEvent, type RunEvent } from './run-event.js';

export interface RunContext {
  readonly git: GitContext;
  readonly event: RunEvent;
  readonly payload: unknown;
  /** Seconds; undefined when `source-date-epoch: none` or no commit time is known. */
  readonly sourceDateEpoch?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export async function readRunContext(inputs: Inputs, env: Env, logger: Logger): Promise<RunContext> {
  const payload = await readPayload(env['GITHUB_EVENT_PATH']);
  const git = gitContextFromGithubEnv(env, payload);
  const event = classifyEvent(env['GITHUB_EVENT_NAME'] ?? '', env['GITHUB_REF'] ?? '', payload);
  const epoch = await resolveEpoch(inputs.sourceDateEpoch, inputs.context, git, logger);
  return { git, event, payload, ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}) };
}

async function readPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw new InputError(
      'env GITHUB_EVENT_PATH',
      `cannot read the event payload ${path}: ${(err as Error).message}`,
      {
        hint: 'run the action inside GitHub Actions, or point GITHUB_EVENT_PATH at a JSON file',
      },
    );
  }
}

/**
 * Git refuses a work tree owned by another user ("dubious ownership"), which is the case when the action re-runs
 * itself under sudo; these read-only commands may trust it.
 */
const trustingGit: RunGit = (args) => runGit(['-c', 'safe.directory=*', ...args]);

async function resolveEpoch(
  setting: EpochSetting,
  contextDir: string,
  git: GitContext,
  logger: Logger,
): Promise<number | undefined> {
  if (setting.kind === 'none') return undefined;
  if (setting.kind === 'fixed') return setting.seconds;
  const facts = await readGitFacts(contextDir, trustingGit, logger);
  if (facts) {
    logger.debug(`SOURCE_DATE_EPOCH=${facts.commitTime} (commit ${facts.sha.slice(0, 12)})`);
    return facts.commitTime;
  }
  if (git.commitDate) return Math.floor(git.commitDate.getTime() / 1000);
  logger.info(
    'no git checkout and no commit time in the event: timestamps are not pinned (SOURCE_DATE_EPOCH unset)',
  );
  return undefined;
}
