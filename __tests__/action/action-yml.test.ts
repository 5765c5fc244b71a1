import { inputNames, outputNames } from '../../src/action/names.js';
import { readActionYml } from './action-yml.js';

const action = readActionYml();

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, in the same order', () => {
    expect(action.inputs.map((i) => i.name)).toEqual([...inputNames]);
  });

  it('declares exactly the outputs the action sets', () => {
    expect(action.outputs.map((o) => o.name)).toEqual([...outputNames]);
  });

  it('describes every input and output, and gives every input a default', () => {
    for (const field of [...action.inputs, ...action.outputs]) expect(field.description).not.toBe('');
    for (const input of action.inputs) expect(input.default).toBeDefined();
  });

  it.each([
    { name: 'push', want: 'auto' },
    { name: 'registry', want: 'ghcr.io' },
    { name: 'username', want: '${{ github.actor }}' },
    { name: 'github-token', want: '${{ github.token }}' },
    { name: 'source-date-epoch', want: '' },
    { name: 'tags', want: 'auto' },
    { name: 'allow-pull-request-target', want: 'false' },
  ])('default of $name is $want', ({ name, want }) => {
    expect(action.inputs.find((i) => i.name === name)?.default).toBe(want);
  });

  it('runs the bundled main and post on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main/index.js', post: 'dist/post/index.js' });
  });
});
