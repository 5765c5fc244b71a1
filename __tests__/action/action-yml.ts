/**
 * Reads the parts of action.yml the tests need: inputs and outputs with their descriptions and defaults, and
 * `runs`. A small reader for the YAML subset action.yml uses (block mappings, plain/quoted scalars, folded
 * `>-` descriptions); it throws on anything else, so a change to action.yml's shape fails loudly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ActionField {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

export interface ActionMetadata {
  readonly inputs: readonly ActionField[];
  readonly outputs: readonly ActionField[];
  readonly runs: Readonly<Record<string, string>>;
}

export const actionYmlPath = join(import.meta.dirname, '..', '..', 'action.yml');

export function readActionYml(path = actionYmlPath): ActionMetadata {
  const lines = readFileSync(path, 'utf8').split('\n');
  return {
    inputs: fields(section(lines, 'inputs')),
    outputs: fields(section(lines, 'outputs')),
    runs: Object.fromEntries(section(lines, 'runs').map((l) => keyValue(l.trim()))),
  };
}

/** The lines of a top-level block (indented below `name:`). */
function section(lines: readonly string[], name: string): string[] {
  const start = lines.indexOf(`${name}:`);
  if (start < 0) throw new Error(`action.yml has no ${name}:`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== '' && !line.startsWith(' ')) break;
    if (line.trim() !== '') body.push(line);
  }
  return body;
}

function fields(lines: readonly string[]): ActionField[] {
  const out: { name: string; props: Map<string, string[]> }[] = [];
  let folded: string[] | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (folded && indent >= 6) {
      folded.push(line.trim());
      continue;
    }
    folded = undefined;
    if (indent === 2) {
      out.push({ name: line.trim().replace(/:$/, ''), props: new Map() });
      continue;
    }
    const current = out.at(-1);
    if (indent !== 4 || !current) throw new Error(`action.yml: unexpected line: ${line}`);
    const [key, value] = keyValue(line.trim());
    folded = value === '>-' ? [] : undefined;
    current.props.set(key, folded ?? [value]);
  }
  return out.map(({ name, props }) => {
    const get = (key: string): string | undefined => props.get(key)?.join(' ');
    const fallback = get('default');
    return {
      name,
      description: get('description') ?? '',
      ...(fallback !== undefined ? { default: fallback } : {}),
    };
  });
}

function keyValue(text: string): [string, string] {
  const at = text.indexOf(':');
  if (at < 0) throw new Error(`action.yml: not key: value: ${text}`);
  return [text.slice(0, at), unquote(text.slice(at + 1).trim())];
}

function unquote(value: string): string {
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.startsWith('"') && value.endsWith('"')) return JSON.parse(value) as string;
  return value;
}
