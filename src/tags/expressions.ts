import Handlebars from 'handlebars';
import moment from 'moment-timezone';
import { shortSha } from './sanitize.js';

/**
 * Handlebars rendering with metadata-action's helpers. Like upstream, helpers are functions in the template's
 * data and output is HTML-escaped (`a=b&c` renders `a&#x3D;b&amp;c`, which sanitises to `a-x3D-b-amp-c`).
 */

/** The facts global expressions read. */
export interface ExpressionFacts {
  readonly eventName: string;
  readonly ref: string;
  /** The effective sha (after DOCKER_METADATA_PR_HEAD_SHA). */
  readonly sha: string;
  readonly shortShaLength: number;
  readonly pushBaseRef?: string;
  readonly prBaseRef?: string;
  /** The payload's `repository.default_branch`. */
  readonly defaultBranch?: string;
  /** The run's time: one clock reading for `{{date}}` and the `created` label. */
  readonly now: Date;
  readonly commitDate: Date;
}

/** A template failed while rendering (an unknown time zone, a helper misuse). */
export class ExpressionError extends Error {}

const handlebars = Handlebars.create();
const compiled = new Map<string, HandlebarsTemplateDelegate>();

function render(template: string, data: object): string {
  let fn = compiled.get(template);
  if (fn === undefined) {
    fn = handlebars.compile(template);
    compiled.set(template, fn);
  }
  try {
    return fn(data);
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    throw new ExpressionError(err instanceof Error ? err.message : String(err));
  }
}

interface HelperOptions {
  readonly hash?: Readonly<Record<string, unknown>>;
}

/** `{{date 'FORMAT' tz='Zone'}}` and `{{commit_date …}}`: moment.js formatting, UTC unless `tz` is given. */
function dateHelper(date: Date): (format: unknown, options?: HelperOptions) => string {
  return (format, options) => {
    let tz = 'UTC';
    for (const [key, value] of Object.entries(options?.hash ?? {})) {
      if (key !== 'tz') throw new ExpressionError(`unknown attribute "${key}" (only tz='Zone' is allowed)`);
      tz = String(value);
    }
    if (moment.tz.zone(tz) === null) throw new ExpressionError(`unknown time zone "${tz}"`);
    return moment(date)
      .tz(tz)
      .format(typeof format === 'string' ? format : undefined);
  };
}

function dateHelpers(facts: ExpressionFacts): object {
  return { date: dateHelper(facts.now), commit_date: dateHelper(facts.commitDate) };
}

/** `{{is_default_branch}}`, exactly as upstream: the ref must name the payload's default branch, or the event must
 * be one that always runs on it (create, discussion, issues, schedule) — even for a tag ref. */
export function isDefaultBranch(facts: ExpressionFacts): boolean {
  const branch = facts.ref.replace(/^refs\/heads\//, '');
  if (branch.length === 0) return false;
  if (facts.defaultBranch !== undefined && facts.defaultBranch === branch) return true;
  return /create|discussion|issues|schedule/.test(facts.eventName);
}

function baseRef(facts: ExpressionFacts): string {
  if (/^refs\/tags\//.test(facts.ref) && facts.pushBaseRef !== undefined) {
    return facts.pushBaseRef.replace(/^refs\/heads\//, '');
  }
  if (/^refs\/pull\//.test(facts.ref) && facts.prBaseRef !== undefined) return facts.prBaseRef;
  return '';
}

function refName(ref: string, kind: 'heads' | 'tags'): string {
  const prefix = `refs/${kind}/`;
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : '';
}

/** Global expressions: `value`, `prefix`, `suffix`, `enable`, flavor prefix/suffix, labels and annotations. */
export function renderGlobal(template: string, facts: ExpressionFacts): string {
  return render(template, {
    branch: () => refName(facts.ref, 'heads'),
    tag: () => refName(facts.ref, 'tags'),
    sha: () => shortSha(facts.sha, facts.shortShaLength),
    base_ref: () => baseRef(facts),
    is_default_branch: () => String(isDefaultBranch(facts)),
    is_not_default_branch: () => String(!isDefaultBranch(facts)),
    ...dateHelpers(facts),
  });
}

/** A `type=schedule` pattern: only `{{date}}` and `{{commit_date}}`. */
export function renderSchedulePattern(pattern: string, facts: ExpressionFacts): string {
  return render(pattern, dateHelpers(facts));
}

/** A `type=semver` pattern against the parsed version (`raw`, `version`, `major`, `minor`, `patch`, …). */
export function renderSemverPattern(pattern: string, version: object): string {
  return render(pattern, version);
}

/** Version parts a `type=pep440` pattern can use. */
export interface Pep440Parts {
  readonly raw: string;
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function renderPep440Pattern(pattern: string, parts: Pep440Parts): string {
  return render(pattern, {
    raw: () => parts.raw,
    version: () => parts.version,
    major: () => parts.major,
    minor: () => parts.minor,
    patch: () => parts.patch,
  });
}
