import { InputError } from '../errors.js';
import { parseEntryFields, parseList, splitField } from './parse-list.js';
import { templateProblem } from './template-check.js';

/**
 * `auto`, `true`, `false` are metadata-action's; `newest` is image-build's: like `auto`, but `latest` and floating
 * version tags only move forward (see latest-policy.ts).
 */
export type LatestPolicy = 'auto' | 'true' | 'false' | 'newest';

export interface Flavor {
  readonly latest: LatestPolicy;
  readonly prefix: string;
  /** `prefix=…,onlatest=true`: the prefix also goes on `latest`. */
  readonly prefixOnLatest: boolean;
  readonly suffix: string;
  readonly suffixOnLatest: boolean;
}

const latestPolicies: readonly LatestPolicy[] = ['auto', 'true', 'false', 'newest'];

interface FlavorState {
  latest: LatestPolicy;
  prefix: string;
  prefixOnLatest: boolean;
  suffix: string;
  suffixOnLatest: boolean;
}

/**
 * Parses the `flavor` input: entries `latest=…`, `prefix=…[,onlatest=…]`, `suffix=…[,onlatest=…]`. `onlatest`
 * applies to the prefix or suffix set earlier in the same entry. `defaultLatest` is `auto` when the user gave
 * `tags`, `newest` when image-build's default tags are in use.
 */
export function parseFlavor(text: string, defaultLatest: LatestPolicy): Flavor {
  const flavor: FlavorState = {
    latest: defaultLatest,
    prefix: '',
    prefixOnLatest: false,
    suffix: '',
    suffixOnLatest: false,
  };
  for (const entry of parseList('flavor', text).entries) {
    let onLatestFor: 'prefix' | 'suffix' | undefined;
    for (const field of parseEntryFields('flavor', entry)) {
      const split = splitField(field, 'legacy');
      if (split.kind === 'bare') {
        throw flavorError(entry, `"${split.value}" is not key=value`, 'write latest=…, prefix=… or suffix=…');
      }
      const { key, value } = split;
      if (key === 'latest') flavor.latest = readLatest(entry, value);
      else if (key === 'prefix' || key === 'suffix') {
        const problem = templateProblem(value, 'global');
        if (problem !== undefined) throw flavorError(entry, `${key}: ${problem}`);
        flavor[key] = value;
        onLatestFor = key;
      } else if (key === 'onlatest') {
        const on = readBoolean(entry, 'onlatest', value);
        if (onLatestFor !== undefined) flavor[`${onLatestFor}OnLatest`] = on;
      } else {
        throw flavorError(entry, `unknown entry "${key}"`, 'use latest, prefix, suffix or onlatest');
      }
    }
  }
  return flavor;
}

function readLatest(entry: string, value: string): LatestPolicy {
  const policy = latestPolicies.find((p) => p === value);
  if (policy === undefined) {
    throw flavorError(entry, `latest "${value}" is not auto, true, false or newest`, 'e.g. latest=auto');
  }
  return policy;
}

function readBoolean(entry: string, key: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') {
    throw flavorError(entry, `${key} "${value}" is not true or false`);
  }
  return value === 'true';
}

function flavorError(entry: string, message: string, hint?: string): InputError {
  return new InputError('flavor', `${message} in "${entry}"`, hint === undefined ? {} : { hint });
}
