import { parseEntryFields, splitField } from './parse-list.js';
import { buildRule, type RuleAttributes } from './rule-builders.js';
import { ruleError, ruleTypes, type Rule, type RuleType } from './rule-types.js';

/** Parses rule lines and orders them by priority, highest first; equal priorities keep their input order. */
export function parseRules(lines: readonly string[]): readonly Rule[] {
  const rules = lines.map(parseRule);
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
}

/** One rule line: `type=…` plus attributes; a field without `=` sets `value`; no `type` means `raw`. */
export function parseRule(line: string): Rule {
  let type: RuleType = 'raw';
  const attrs = new Map<string, string>();
  for (const field of parseEntryFields('tags', line)) {
    const split = splitField(field, 'first');
    if (split.kind === 'bare') attrs.set('value', split.value);
    else if (split.key !== 'type') attrs.set(split.key, split.value);
    else if (isRuleType(split.value)) type = split.value;
    else {
      throw ruleError(line, `unknown type "${split.value}"`, `use one of type=${ruleTypes.join(', type=')}`);
    }
  }
  return buildRule(type, line, attrs as RuleAttributes);
}

function isRuleType(value: string): value is RuleType {
  return (ruleTypes as readonly string[]).includes(value);
}
