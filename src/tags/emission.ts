/** What one rule produced, before the `latest` policy and de-duplication. */

/** How far a tag floats across releases: `exact` names one release; see version-rules.ts `patternScope`. */
export type TagScope = 'exact' | 'minor' | 'major' | 'global';

/** A stable release a tag was derived from, comparable under its scheme. */
export interface ComparableVersion {
  readonly scheme: 'semver' | 'pep440';
  /** Normalised text: `1.2.3` (semver) or pep440-cleaned. */
  readonly text: string;
}

/** A rule's value before prefix, suffix and sanitisation. */
export interface Candidate {
  readonly value: string;
  /** Whether the rule turns `latest` on under `latest=auto`. */
  readonly autoLatest: boolean;
  readonly version?: ComparableVersion;
  readonly scope: TagScope;
}

/** A finished, sanitised, non-empty tag value from one rule. */
export interface Emission extends Candidate {
  /** The rule line, for messages. */
  readonly line: string;
}
