import * as core from '@actions/core';
import { readFileSync, statSync } from 'node:fs';
import { readInputs, type Inputs } from './inputs.js';
import type { InputName } from './names.js';
import type { Env } from './run-context.js';

/**
 * Masks the credentials before anything else can print them, then reads and checks every input once. Secret
 * values are masked too — a file secret's content as well, so a RUN that prints it shows `***` — each line of
 * a multi-line value on its own (the runner matches masks within one log line).
 */
export function readActionInputs(env: Env): Inputs {
  const get = (name: InputName): string => core.getInput(name);
  const masked = new Set<string>();
  const mask = (value: string): void => {
    for (const v of [value, ...(value.includes('\n') ? value.split(/\r?\n/).map((l) => l.trim()) : [])]) {
      if (v.trim() === '' || masked.has(v)) continue;
      masked.add(v);
      core.setSecret(v);
    }
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
  for (const source of inputs.secrets.values()) if (source.kind === 'file') mask(secretFileText(source.path));
  return inputs;
}

/** A secret file's text, if it is a readable file of at most 1 MiB ('' otherwise: the build reports it). */
function secretFileText(path: string): string {
  try {
    const st = statSync(path);
    return st.isFile() && st.size <= 1 << 20 ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}
