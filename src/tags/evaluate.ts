import semver from 'semver';
import type { Candidate, ComparableVersion, Emission } from './emission.js';
import { ExpressionError, renderGlobal, renderSchedulePattern, type ExpressionFacts } from './expressions.js';
import type { Flavor } from './flavor.js';
import { ruleError, type EdgeRule, type MatchRule, type RefRule, type Rule } from './rule-types.js';
import { sanitizeTag, shortSha } from './sanitize.js';
import { evaluateVersionRule } from './version-rules.js';

export interface EvaluationEnv {
  readonly facts: ExpressionFacts;
  readonly flavor: Flavor;
  /** The branch `type=edge` defaults to: the API's default branch, else the payload's. */
  readonly edgeBranch: string | undefined;
  readonly warn: (message: string) => void;
}

/** Runs the (priority-ordered) rules and returns what each enabled, firing rule emits, in order. */
export function evaluateRules(rules: readonly Rule[], env: EvaluationEnv): readonly Emission[] {
  const emissions: Emission[] = [];
  for (const rule of rules) {
    try {
      if (!isEnabled(rule, env.facts)) continue;
      const candidate = candidateOf(rule, env);
      // An empty value emits nothing even when a prefix or suffix would make it non-empty (upstream emits the
      // bare prefix, e.g. `foo-`): no rule means to publish only its decoration.
      if (candidate === undefined || candidate.value.length === 0) continue;
      const decorated = decorate(candidate.value, rule, env);
      emissions.push({ ...candidate, value: sanitizeTag(decorated), line: rule.line });
    } catch (err) {
      if (err instanceof ExpressionError) throw ruleError(rule.line, err.message);
      throw err;
    }
  }
  return emissions;
}

function isEnabled(rule: Rule, facts: ExpressionFacts): boolean {
  const enabled = renderGlobal(rule.enable, facts);
  if (enabled !== 'true' && enabled !== 'false') {
    throw ruleError(
      rule.line,
      `enable rendered "${enabled}", not true or false`,
      'enable=true, false or an expression',
    );
  }
  return enabled === 'true';
}

function candidateOf(rule: Rule, env: EvaluationEnv): Candidate | undefined {
  const { facts } = env;
  switch (rule.type) {
    case 'schedule':
      if (!/schedule/.test(facts.eventName)) return undefined;
      return plain(renderSchedulePattern(rule.pattern, facts), false);
    case 'semver':
    case 'pep440':
      return evaluateVersionRule(rule, facts, env.warn);
    case 'match':
      return evaluateMatch(rule, facts, env.warn);
    case 'edge':
      return evaluateEdge(rule, facts, env.edgeBranch);
    case 'ref':
      return evaluateRef(rule, facts);
    case 'raw':
      return plain(renderGlobal(rule.value, facts), false);
    case 'sha':
      if (!facts.sha) return undefined;
      return plain(rule.format === 'short' ? shortSha(facts.sha, facts.shortShaLength) : facts.sha, false);
  }
}

function plain(value: string, autoLatest: boolean, version?: ComparableVersion): Candidate {
  return { value, autoLatest, scope: 'exact', ...(version === undefined ? {} : { version }) };
}

function evaluateMatch(
  rule: MatchRule,
  facts: ExpressionFacts,
  warn: (m: string) => void,
): Candidate | undefined {
  if (!/^refs\/tags\//.test(facts.ref) && rule.value.length === 0) return undefined;
  const text =
    rule.value.length > 0 ? renderGlobal(rule.value, facts) : facts.ref.replace(/^refs\/tags\//, '');
  const found = text.match(rule.pattern);
  if (found === null) {
    warn(`${rule.patternText} does not match ${text}.`);
    return undefined;
  }
  const value = found[rule.group];
  if (value === undefined) {
    warn(`Group ${rule.group} does not exist for ${rule.patternText} pattern.`);
    return undefined;
  }
  return plain(value, true, stableSemver(value) ?? stableSemver(text));
}

function evaluateEdge(
  rule: EdgeRule,
  facts: ExpressionFacts,
  edgeBranch: string | undefined,
): Candidate | undefined {
  if (!/^refs\/heads\//.test(facts.ref)) return undefined;
  const branch = rule.branch.length > 0 ? rule.branch : edgeBranch;
  return branch === facts.ref.replace(/^refs\/heads\//, '') ? plain('edge', false) : undefined;
}

function evaluateRef(rule: RefRule, facts: ExpressionFacts): Candidate | undefined {
  const { ref } = facts;
  switch (rule.event) {
    case 'branch':
      return /^refs\/heads\//.test(ref) ? plain(ref.replace(/^refs\/heads\//, ''), false) : undefined;
    case 'tag': {
      if (!/^refs\/tags\//.test(ref)) return undefined;
      const tag = ref.replace(/^refs\/tags\//, '');
      return plain(tag, true, stableSemver(tag));
    }
    case 'pr':
      if (!/^refs\/pull\//.test(ref)) return undefined;
      return plain(ref.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), false);
  }
}

/** The stable semver a tag-derived value names, for `latest=newest` (`v1.2.3` yes, `v1.2.3-rc.1` no). */
function stableSemver(text: string): ComparableVersion | undefined {
  const valid = semver.valid(text.replace(/\//g, '-'));
  if (valid === null || semver.prerelease(valid) !== null) return undefined;
  return { scheme: 'semver', text: valid };
}

/** Rule prefix/suffix (even empty) replace the flavor's; both are expanded before use. */
function decorate(value: string, rule: Rule, env: EvaluationEnv): string {
  const { facts, flavor } = env;
  let out = value;
  if (rule.prefix !== undefined) out = renderGlobal(rule.prefix, facts) + out;
  else if (flavor.prefix.length > 0) out = renderGlobal(flavor.prefix, facts) + out;
  if (rule.suffix !== undefined) out += renderGlobal(rule.suffix, facts);
  else if (flavor.suffix.length > 0) out += renderGlobal(flavor.suffix, facts);
  return out;
}
