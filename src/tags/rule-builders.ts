import { defaultPriorities, ruleError, type Rule, type RuleType } from './rule-types.js';
import { templateProblem, type TemplateKind } from './template-check.js';

/** Validation and construction of one rule from its raw attributes. */

export type RuleAttributes = ReadonlyMap<string, string>;

const commonAttributes = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const typeAttributes: Readonly<Record<RuleType, readonly string[]>> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};

export function buildRule(type: RuleType, line: string, attrs: RuleAttributes): Rule {
  checkAttributeNames(type, line, attrs);
  const common = {
    line,
    priority: readPriority(type, line, attrs.get('priority')),
    enable: template(line, 'enable', attrs.get('enable') ?? 'true', 'global'),
    prefix: optionalTemplate(line, 'prefix', attrs.get('prefix')),
    suffix: optionalTemplate(line, 'suffix', attrs.get('suffix')),
  };
  switch (type) {
    case 'schedule':
      return { ...common, type, pattern: template(line, 'pattern', attrs.get('pattern') ?? 'nightly', type) };
    case 'semver':
    case 'pep440':
      return {
        ...common,
        type,
        pattern: template(line, 'pattern', required(line, attrs, 'pattern'), type),
        value: template(line, 'value', attrs.get('value') ?? '', 'global'),
        match: readMatch(line, attrs.get('match')),
      };
    case 'match':
      return buildMatchRule(common, line, attrs);
    case 'edge':
      return { ...common, type, branch: attrs.get('branch') ?? '' };
    case 'ref':
      return buildRefRule(common, line, attrs);
    case 'raw':
      return { ...common, type, value: template(line, 'value', required(line, attrs, 'value'), 'global') };
    case 'sha':
      return buildShaRule(common, line, attrs);
  }
}

type Common = Omit<Rule, 'type'>;

function buildMatchRule(common: Common, line: string, attrs: RuleAttributes): Rule {
  const patternText = required(line, attrs, 'pattern');
  const groupText = attrs.get('group') ?? '0';
  if (!/^\d+$/.test(groupText)) {
    throw ruleError(
      line,
      `group "${groupText}" is not a number`,
      'give the capture group index, e.g. group=1',
    );
  }
  return {
    ...common,
    type: 'match',
    pattern: compileMatchPattern(line, patternText),
    patternText,
    group: Number(groupText),
    value: template(line, 'value', attrs.get('value') ?? '', 'global'),
  };
}

function buildRefRule(common: Common, line: string, attrs: RuleAttributes): Rule {
  const event = required(line, attrs, 'event');
  if (event !== 'branch' && event !== 'tag' && event !== 'pr') {
    throw ruleError(line, `unknown event "${event}"`, 'use event=branch, event=tag or event=pr');
  }
  const prefix = event === 'pr' ? (common.prefix ?? 'pr-') : common.prefix;
  return { ...common, prefix, type: 'ref', event };
}

function buildShaRule(common: Common, line: string, attrs: RuleAttributes): Rule {
  const format = attrs.get('format') ?? 'short';
  if (format !== 'short' && format !== 'long') {
    throw ruleError(line, `unknown format "${format}"`, 'use format=short or format=long');
  }
  return { ...common, prefix: common.prefix ?? 'sha-', type: 'sha', format };
}

function checkAttributeNames(type: RuleType, line: string, attrs: RuleAttributes): void {
  const allowed = [...commonAttributes, ...typeAttributes[type]];
  for (const key of attrs.keys()) {
    if (allowed.includes(key)) continue;
    const bare = key === 'value' ? ' (a field without "=" sets value)' : '';
    throw ruleError(
      line,
      `attribute "${key}"${bare} is not valid for type=${type}`,
      `valid: ${allowed.join(', ')}`,
    );
  }
}

function required(line: string, attrs: RuleAttributes, key: string): string {
  const value = attrs.get(key);
  if (value === undefined) throw ruleError(line, `missing ${key} attribute`, `add ${key}=…`);
  return value;
}

function readPriority(type: RuleType, line: string, text: string | undefined): number {
  if (text === undefined) return defaultPriorities[type];
  if (!/^-?\d+$/.test(text)) {
    throw ruleError(line, `priority "${text}" is not a whole number`, 'e.g. priority=1000');
  }
  return Number(text);
}

function template(line: string, attribute: string, text: string, kind: TemplateKind): string {
  const problem = templateProblem(text, kind);
  if (problem !== undefined) throw ruleError(line, `${attribute}: ${problem}`);
  return text;
}

function optionalTemplate(line: string, attribute: string, text: string | undefined): string | undefined {
  return text === undefined ? undefined : template(line, attribute, text, 'global');
}

function readMatch(line: string, text: string | undefined): RegExp | undefined {
  if (text === undefined || text === '') return undefined;
  const regex = compileRegex(line, 'match', text, '');
  if (new RegExp(`${regex.source}|`).exec('')!.length < 2) {
    throw ruleError(
      line,
      `match "${text}" has no capture group`,
      'wrap the version part in ( ), e.g. v(\\d.\\d.\\d)$',
    );
  }
  return regex;
}

/** A match pattern: `re` or `/re/flags`, like upstream. */
function compileMatchPattern(line: string, text: string): RegExp {
  const literal = /^\/(.+)\/(.*)$/.exec(text);
  return literal
    ? compileRegex(line, 'pattern', literal[1]!, literal[2]!)
    : compileRegex(line, 'pattern', text, '');
}

function compileRegex(line: string, attribute: string, source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    const detail = err instanceof Error ? `: ${err.message}` : '';
    throw ruleError(line, `${attribute} "${source}" is not a valid regular expression${detail}`);
  }
}
