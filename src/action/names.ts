/**
 * Every input, output and state name of the action, in one place. action.yml declares the same names; a test
 * checks that the two agree.
 */
import type { ActionOutputs } from '../report/index.js';

export const inputNames = [
  'context',
  'file',
  'target',
  'build-args',
  'secrets',
  'images',
  'tags',
  'flavor',
  'labels',
  'annotations',
  'push',
  'registry',
  'username',
  'password',
  'insecure-registries',
  'cache',
  'cache-backend',
  'cache-path',
  'cache-ref',
  'cache-budget',
  'cache-mount-budget',
  'no-cache',
  'pull',
  'outputs',
  'pr-comment',
  'summary',
  'github-token',
  'source-date-epoch',
  'allow-pull-request-target',
] as const;

export type InputName = (typeof inputNames)[number];

export const outputNames = [
  'digest',
  'imageid',
  'image',
  'tags',
  'tag-names',
  'labels',
  'annotations',
  'version',
  'json',
  'metadata',
] as const satisfies readonly (keyof ActionOutputs)[];

export type OutputName = (typeof outputNames)[number];

/** What main leaves for post (GITHUB_STATE). */
export const stateNames = {
  /** Our work directory (store, unpacked layers); post removes it. */
  workRoot: 'work-root',
  /** `true` once main finished the build; post saves the cache only then. */
  built: 'built',
  /** JSON the cache backend needs to save what this run used (empty when the cache is off). */
  cache: 'cache',
} as const;

/** Set in the environment of the copy of main/post that runs under sudo, so it does not try again. */
export const sudoMarker = 'IMAGE_BUILD_UNDER_SUDO';
