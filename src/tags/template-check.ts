import Handlebars from 'handlebars';
import moment from 'moment-timezone';

/**
 * Static checks of the Handlebars templates in rules, so that a typo fails the run with the rule quoted instead of
 * silently rendering an empty string: syntax (unbalanced `{{ }}`), unknown expression names, the `date` helpers'
 * arguments. Also the AST facts the engine needs: is a pattern exactly `{{raw}}`, which names does it use.
 */

export type TemplateKind = 'global' | 'schedule' | 'semver' | 'pep440';

const dateHelpers = ['date', 'commit_date'];
const knownNames: Record<TemplateKind, readonly string[]> = {
  global: ['branch', 'tag', 'sha', 'base_ref', 'is_default_branch', 'is_not_default_branch', ...dateHelpers],
  schedule: dateHelpers,
  semver: ['raw', 'version', 'major', 'minor', 'patch', 'prerelease', 'build'],
  pep440: ['raw', 'version', 'major', 'minor', 'patch'],
};
const builtinHelpers = ['if', 'unless', 'each', 'with', 'lookup'];
/** Names Handlebars refuses to resolve (and complains about on the console): prototype properties. */
const prototypeNames = new Set(Object.getOwnPropertyNames(Object.prototype));

type Node = hbs.AST.Node;

/** What is wrong with `template` used as a `kind` template, or undefined when it is fine. */
export function templateProblem(template: string, kind: TemplateKind): string | undefined {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parseWithoutProcessing(template);
  } catch {
    return `"${template}" is not a valid expression (unbalanced {{ }}?)`;
  }
  const problems: string[] = [];
  walk(program, (node) => problems.push(...nodeProblems(node, template, kind)));
  return problems[0];
}

function nodeProblems(node: Node, template: string, kind: TemplateKind): string[] {
  if (node.type === 'ContentStatement') {
    const text = (node as hbs.AST.ContentStatement).value;
    return text.includes('}}') && !text.includes('{{') ? [`"${template}" has "}}" without "{{"`] : [];
  }
  if (node.type === 'PathExpression') {
    const path = node as hbs.AST.PathExpression;
    const forbidden = path.parts.some((part) => prototypeNames.has(part));
    return forbidden ? [`unknown expression "${path.original}" in "${template}"`] : [];
  }
  const call = asCall(node);
  if (call === undefined || call.path.type !== 'PathExpression') return [];
  const path = call.path as hbs.AST.PathExpression;
  const name = path.parts[0];
  if (path.data || path.depth > 0 || name === undefined) return [];
  if (!knownNames[kind].includes(name) && !builtinHelpers.includes(name)) {
    return [`unknown expression "{{${path.original}}}" (known here: ${knownNames[kind].join(', ')})`];
  }
  return dateHelpers.includes(name) ? dateCallProblems(name, call) : [];
}

type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

function asCall(node: Node): Call | undefined {
  const callTypes = ['MustacheStatement', 'BlockStatement', 'SubExpression'];
  return callTypes.includes(node.type) ? (node as Call) : undefined;
}

function dateCallProblems(name: string, call: Call): string[] {
  const usage = `use {{${name} 'YYYYMMDD'}} or {{${name} 'YYYYMMDD' tz='Asia/Tokyo'}}`;
  if (call.params.length !== 1) return [`{{${name}}} takes one format argument: ${usage}`];
  const problems: string[] = [];
  for (const pair of call.hash?.pairs ?? []) {
    if (pair.key !== 'tz') problems.push(`{{${name}}} has unknown attribute "${pair.key}": ${usage}`);
    else if (pair.value.type === 'StringLiteral') {
      const zone = (pair.value as hbs.AST.StringLiteral).value;
      if (moment.tz.zone(zone) === null) problems.push(`unknown time zone "${zone}" in {{${name}}}`);
    }
  }
  return problems;
}

/** metadata-action's `isRawStatement`: the pattern is exactly one `{{raw}}` mustache. */
export function isRawStatement(pattern: string): boolean {
  try {
    const body = Handlebars.parseWithoutProcessing(pattern).body;
    const only = body[0];
    if (body.length !== 1 || only?.type !== 'MustacheStatement') return false;
    const path = (only as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression;
    return path.parts?.length === 1 && path.parts[0] === 'raw';
  } catch {
    return false;
  }
}

/** Every path name a template mentions, helpers and their arguments alike (`{{#if major}}` gives if, major). */
export function referencedNames(template: string): ReadonlySet<string> {
  const names = new Set<string>();
  try {
    walk(Handlebars.parseWithoutProcessing(template), (node) => {
      if (node.type !== 'PathExpression') return;
      const head = (node as hbs.AST.PathExpression).parts[0];
      if (head !== undefined) names.add(head);
    });
  } catch {
    // an unparsable template mentions nothing; templateProblem reports it
  }
  return names;
}

/** Depth-first visit of every AST node. */
function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  const record = node as unknown as Record<string, unknown>;
  for (const key of ['body', 'path', 'params', 'hash', 'pairs', 'value', 'program', 'inverse']) {
    const child = record[key];
    const children = Array.isArray(child) ? child : [child];
    for (const item of children) {
      if (isNode(item)) walk(item, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
