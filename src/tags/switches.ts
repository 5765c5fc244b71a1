import { InputError } from '../errors.js';
import type { GitContext } from './types.js';

/** The DOCKER_METADATA_* environment switches metadata-action honours, parsed once. */
export interface MetadataSwitches {
  /** DOCKER_METADATA_PR_HEAD_SHA: PR events use the head commit instead of the merge commit. */
  readonly prHeadSha: boolean;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH (default 7). */
  readonly shortShaLength: number;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS split at commas (default `manifest`). */
  readonly annotationLevels: readonly string[];
}

const defaultShortShaLength = 7;

export function readSwitches(env: Readonly<Record<string, string | undefined>>): MetadataSwitches {
  return {
    prHeadSha: readPrHeadSha(env),
    shortShaLength: readShortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH),
    annotationLevels: (env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest').split(','),
  };
}

/** DOCKER_METADATA_PR_HEAD_SHA is on when it is `true` (any case). */
export function readPrHeadSha(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^true$/i.test((env.DOCKER_METADATA_PR_HEAD_SHA ?? '').trim());
}

function readShortShaLength(raw: string | undefined): number {
  if (!raw) return defaultShortShaLength;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InputError('env DOCKER_METADATA_SHORT_SHA_LENGTH', `"${raw}" is not a positive whole number`, {
      hint: 'set it to the number of sha characters to keep, e.g. 12',
    });
  }
  return Number(value);
}

/**
 * With DOCKER_METADATA_PR_HEAD_SHA on, a `pull_request*` run uses the PR head commit: sha tags, `{{sha}}` and the
 * revision label then name the commit the author pushed, not GitHub's merge commit. Idempotent.
 */
export function applyPrHeadSha(context: GitContext, prHeadSha: boolean): GitContext {
  if (!prHeadSha || !/pull_request/.test(context.eventName) || context.prHeadSha === undefined)
    return context;
  if (context.sha === context.prHeadSha) return context;
  return {
    ...context,
    sha: context.prHeadSha,
    commitDate: findCommitDate(context.commits, context.prHeadSha),
  };
}

/** The timestamp of `sha` among the payload's commits, if it is there. */
export function findCommitDate(commits: GitContext['commits'], sha: string): Date | undefined {
  const hit = commits?.find((commit) => commit.id === sha);
  if (hit === undefined) return undefined;
  const date = new Date(hit.timestamp);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
