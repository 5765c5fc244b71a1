import pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { ComparableVersion, Emission, TagScope } from './emission.js';
import type { LatestPolicy } from './flavor.js';

/**
 * Turns emissions into the version set: main version, partial tags, and whether `latest` is on.
 *
 * `auto`/`true`/`false` are metadata-action's: the first emitting rule decides `latest` (under `auto`, by its type),
 * `true`/`false` force it. `newest` is image-build's: with the registry's existing tags, a floating tag
 * (`{{major}}`, `{{major}}.{{minor}}`, a constant pattern) is kept only when this release is ≥ every existing
 * stable release it floats over, and `latest` only when the first emission names a stable release ≥ every
 * existing stable release. Exact tags are always kept.
 */

export interface VersionDecision {
  readonly main: string | undefined;
  /** Further tag values in order, without duplicates or the main one. */
  readonly partial: readonly string[];
  readonly latest: boolean;
}

/** Stable releases found among a registry's tags, per scheme, normalised. */
export interface ExistingReleases {
  readonly semver: readonly string[];
  readonly pep440: readonly string[];
}

/** Whether `latest=newest` needs the registry's tags for these emissions. */
export function needsExistingReleases(emissions: readonly Emission[]): boolean {
  return emissions.some((emission) => emission.version !== undefined);
}

/**
 * The stable releases among existing tags. A flavor prefix/suffix (rendered, sanitised) is stripped where present,
 * so `foo-1.2.3-alpine` counts as 1.2.3; prereleases and non-version tags are ignored.
 */
export function stableReleasesIn(tags: readonly string[], prefix = '', suffix = ''): ExistingReleases {
  const found: { semver: string[]; pep440: string[] } = { semver: [], pep440: [] };
  for (const tag of tags) {
    let text = prefix && tag.startsWith(prefix) ? tag.slice(prefix.length) : tag;
    text = suffix && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
    const sv = semver.valid(text);
    if (sv !== null && semver.prerelease(sv) === null) found.semver.push(sv);
    const explained = pep440.valid(text) === null ? null : pep440.explain(text);
    if (explained && !explained.is_prerelease && !explained.is_postrelease && !explained.is_devrelease) {
      found.pep440.push(pep440.clean(text) ?? text);
    }
  }
  return found;
}

/** Whether `version` is ≥ every existing release of its scheme within `scope` (`exact` is always true). */
export function isNewestIn(version: ComparableVersion, scope: TagScope, existing: ExistingReleases): boolean {
  if (scope === 'exact') return true;
  const ops = schemes[version.scheme];
  const inScope = (other: string): boolean =>
    scope === 'global' ||
    (ops.major(other) === ops.major(version.text) &&
      (scope === 'major' || ops.minor(other) === ops.minor(version.text)));
  return existing[version.scheme].filter(inScope).every((other) => ops.compare(version.text, other) >= 0);
}

interface SchemeOps {
  major(version: string): number;
  minor(version: string): number;
  compare(a: string, b: string): number;
}

const schemes: Readonly<Record<ComparableVersion['scheme'], SchemeOps>> = {
  semver: {
    major: (v) => semver.major(v),
    minor: (v) => semver.minor(v),
    compare: (a, b) => semver.compare(a, b),
  },
  pep440: {
    major: (v) => pep440.major(v),
    minor: (v) => pep440.minor(v),
    compare: (a, b) => pep440.compare(a, b),
  },
};

/**
 * The version set for a policy. `existing` is the registry's releases under `newest`; when it is undefined (no
 * lister, or the registry could not be read) `newest` behaves as `auto`.
 */
export function decideVersion(
  emissions: readonly Emission[],
  policy: LatestPolicy,
  existing?: ExistingReleases,
): VersionDecision {
  const newest = policy === 'newest' && existing !== undefined;
  const kept = newest
    ? emissions.filter((e) => e.version === undefined || isNewestIn(e.version, e.scope, existing))
    : emissions;
  const first = kept[0];
  if (first === undefined) return { main: undefined, partial: [], latest: false };
  const partial = [...new Set(kept.map((e) => e.value))].filter((value) => value !== first.value);
  return { main: first.value, partial, latest: latestFor(first, policy, existing) };
}

function latestFor(first: Emission, policy: LatestPolicy, existing: ExistingReleases | undefined): boolean {
  switch (policy) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'auto':
      return first.autoLatest;
    case 'newest':
      if (existing === undefined) return first.autoLatest;
      return first.autoLatest && first.version !== undefined && isNewestIn(first.version, 'global', existing);
  }
}
