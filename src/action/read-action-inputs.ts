import * as core from '@actions/core';
import { readInputs, type Inputs } from './inputs.js';
import type { InputName } from './names.js';
import type { Env } from './run-context.js';

/** Masks the credentials before anything else can print them, then reads and checks every input once. */
export function readActionInputs(env: Env): Inputs {
  const get = (name: InputName): string => core.getInput(name);
  const masked = new Set<string>();
  const mask = (value: string): void => {
    if (value.trim() === '' || masked.has(value)) return;
    masked.add(value);
    core.setSecret(value);
  };
  mask(get('password').trim());
  mask(get('github-token').trim());
  const { inputs, secretValues } = readInputs(get, {
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
    repository: env['GITHUB_REPOSITORY'] ?? '',
    actor: env['GITHUB_ACTOR'] ?? '',
    env,
  });
  secretValues.forEach(mask);
  return inputs;
}
