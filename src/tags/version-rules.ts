import pep440 from '@renovatebot/pep440';
import semver from 'semver';
import {
  renderGlobal,
  renderPep440Pattern,
  renderSemverPattern,
  type ExpressionFacts,
} from './expressions.js';
import type { Candidate, TagScope } from './emission.js';
import type { VersionRule } from './rule-types.js';
import { isRawStatement, referencedNames } from './template-check.js';

/**
 * `type=semver` and `type=pep440`, as metadata-action computes them: take `value` (expanded) or the git tag, apply
 * `match` (group 1; on no match warn and keep the whole string), replace `/` with `-`, validate (invalid: warn,
 * emit nothing). A prerelease (pep440: pre, post or dev release) renders `{{version}}` whatever the pattern, unless
 * the pattern is exactly `{{raw}}`, and never votes for `latest`.
 */
export function evaluateVersionRule(
  rule: VersionRule,
  facts: ExpressionFacts,
  warn: (message: string) => void,
): Candidate | undefined {
  if (!/^refs\/tags\//.test(facts.ref) && rule.value.length === 0) return undefined;
  let text = rule.value.length > 0 ? renderGlobal(rule.value, facts) : facts.ref.replace(/^refs\/tags\//, '');
  if (rule.match !== undefined) {
    const found = text.match(rule.match);
    if (found === null) warn(`${rule.match.source} does not match ${text}.`);
    else if (found[1] === undefined)
      warn(`group 1 of ${rule.match.source} did not take part in matching ${text}.`);
    else text = found[1];
  }
  text = text.replace(/\//g, '-');
  return rule.type === 'semver'
    ? semverCandidate(rule.pattern, text, warn)
    : pep440Candidate(rule.pattern, text, warn);
}

function semverCandidate(
  pattern: string,
  text: string,
  warn: (message: string) => void,
): Candidate | undefined {
  if (!semver.valid(text)) {
    warn(`${text} is not a valid semver. More info: https://semver.org/`);
    return undefined;
  }
  const parsed = semver.parse(text, { loose: true })!;
  if (semver.prerelease(text) !== null) {
    const value = renderSemverPattern(isRawStatement(pattern) ? pattern : '{{version}}', parsed);
    return { value, autoLatest: false, scope: 'exact' };
  }
  return {
    value: renderSemverPattern(pattern, parsed),
    autoLatest: true,
    version: { scheme: 'semver', text: parsed.version },
    scope: patternScope(pattern),
  };
}

function pep440Candidate(
  pattern: string,
  text: string,
  warn: (message: string) => void,
): Candidate | undefined {
  const explained = pep440.valid(text) === null ? null : pep440.explain(text);
  if (explained === null) {
    warn(`${text} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
    return undefined;
  }
  const cleaned = pep440.clean(text) ?? text;
  if (explained.is_prerelease || explained.is_postrelease || explained.is_devrelease) {
    return { value: isRawStatement(pattern) ? text : cleaned, autoLatest: false, scope: 'exact' };
  }
  const parts = {
    raw: text,
    version: cleaned,
    major: pep440.major(text),
    minor: pep440.minor(text),
    patch: pep440.patch(text),
  };
  return {
    value: renderPep440Pattern(pattern, parts),
    autoLatest: true,
    version: { scheme: 'pep440', text: cleaned },
    scope: patternScope(pattern),
  };
}

/**
 * How far a version pattern floats. `{{version}}`, `{{raw}}` or `{{patch}}` name one release (exact); otherwise
 * `{{minor}}` floats within a major.minor, `{{major}}` within a major, and a pattern without version parts (e.g.
 * `stable`) floats over every release.
 */
export function patternScope(pattern: string): TagScope {
  const names = referencedNames(pattern);
  if (names.has('version') || names.has('raw') || names.has('patch')) return 'exact';
  if (names.has('minor')) return 'minor';
  if (names.has('major')) return 'major';
  return 'global';
}
