import { InputError } from '../errors.js';

/** The `tags` rule language of docker/metadata-action, one typed variant per `type=`. */

export const ruleTypes = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type RuleType = (typeof ruleTypes)[number];
export type RefEvent = 'branch' | 'tag' | 'pr';
export type ShaFormat = 'short' | 'long';

/** Attributes every rule has. `prefix`/`suffix` are undefined when not given (the flavor's then apply). */
interface RuleCommon {
  /** The rule as the user wrote it, for messages. */
  readonly line: string;
  readonly priority: number;
  /** A global expression that must render `true` or `false`. */
  readonly enable: string;
  readonly prefix?: string;
  readonly suffix?: string;
}

export interface ScheduleRule extends RuleCommon {
  readonly type: 'schedule';
  readonly pattern: string;
}
export interface VersionRule extends RuleCommon {
  readonly type: 'semver' | 'pep440';
  readonly pattern: string;
  /** A global expression used instead of the git tag when non-empty. */
  readonly value: string;
  /** A regular expression whose capture group 1 is kept. */
  readonly match?: RegExp;
}
export interface MatchRule extends RuleCommon {
  readonly type: 'match';
  readonly pattern: RegExp;
  /** The pattern as written, for messages. */
  readonly patternText: string;
  readonly group: number;
  readonly value: string;
}
export interface EdgeRule extends RuleCommon {
  readonly type: 'edge';
  /** The branch that gets `edge`; empty means the repository's default branch. */
  readonly branch: string;
}
export interface RefRule extends RuleCommon {
  readonly type: 'ref';
  readonly event: RefEvent;
}
export interface RawRule extends RuleCommon {
  readonly type: 'raw';
  readonly value: string;
}
export interface ShaRule extends RuleCommon {
  readonly type: 'sha';
  readonly format: ShaFormat;
}

export type Rule = ScheduleRule | VersionRule | MatchRule | EdgeRule | RefRule | RawRule | ShaRule;

export const defaultPriorities: Readonly<Record<RuleType, number>> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

/** An InputError for the `tags` input that quotes the rule. */
export function ruleError(line: string, message: string, hint?: string): InputError {
  return new InputError('tags', `${message} in rule "${line}"`, hint === undefined ? {} : { hint });
}
