/**
 * The README's Inputs and Outputs tables are generated from action.yml; this fails when they drift.
 * `UPDATE_README=1 npm test -- __tests__/action/readme` rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readActionYml, type ActionField } from './action-yml.js';

const readmePath = join(import.meta.dirname, '..', '..', 'README.md');
const action = readActionYml();

/** Markdown table text: pipes escaped; `<name>` shown, not taken for HTML; `*` literal. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*');
}

function defaultCell(input: ActionField): string {
  const value = input.default ?? '';
  return value === '' ? '' : `\`${value.replace(/\|/g, '\\|')}\``;
}

export function inputsTable(inputs: readonly ActionField[]): string {
  return [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...inputs.map((i) => `| \`${i.name}\` | ${defaultCell(i)} | ${cell(i.description)} |`),
  ].join('\n');
}

export function outputsTable(outputs: readonly ActionField[]): string {
  return [
    '| Output | Description |',
    '| --- | --- |',
    ...outputs.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`),
  ].join('\n');
}

/** Replaces what lies between `<!-- NAME:start … -->` and `<!-- NAME:end -->`. */
function withSection(text: string, name: string, body: string): string {
  const start = new RegExp(`(<!-- ${name}:start[^>]*-->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!start.test(text)) throw new Error(`README.md has no ${name}:start/${name}:end markers`);
  return text.replace(start, (_m, open: string, close: string) => `${open}${body}\n${close}`);
}

describe('README tables', () => {
  const readme = readFileSync(readmePath, 'utf8');
  const want = withSection(
    withSection(readme, 'inputs', inputsTable(action.inputs)),
    'outputs',
    outputsTable(action.outputs),
  );

  it('match action.yml (run with UPDATE_README=1 to regenerate)', () => {
    if (process.env['UPDATE_README'] === '1' && want !== readme) writeFileSync(readmePath, want);
    else expect(readme).toBe(want);
  });

  it.each([
    {
      name: 'an input with a default',
      given: { name: 'push', description: 'a|b <name> x.*', default: 'auto' },
      want: '| `push` | `auto` | a\\|b &lt;name&gt; x.\\* |',
    },
    {
      name: 'an input without one',
      given: { name: 'file', description: 'The file.', default: '' },
      want: '| `file` |  | The file. |',
    },
  ])('row for $name', ({ given, want: row }) => {
    expect(inputsTable([given]).split('\n')[2]).toBe(row);
  });
});
