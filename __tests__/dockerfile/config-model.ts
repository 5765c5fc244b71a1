/**
 * Test helper: the image config a config-only Dockerfile (no RUN/COPY) produces, computed from our parse,
 * expansion and ARG scoping, with BuildKit's rules for WORKDIR, EXPOSE and shell-form commands.
 */
import path from 'node:path';
import { GlobalArgs } from '../../src/dockerfile/args.js';
import { BuildEnv } from '../../src/dockerfile/build-env.js';
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import { expandInstruction } from '../../src/dockerfile/expand-instruction.js';
import type { CommandLine, Instruction } from '../../src/dockerfile/instructions/types.js';
import type { Platform } from '../../src/oci/types.js';

export interface ConfigModel {
  Env: string[];
  Labels: Record<string, string>;
  WorkingDir: string;
  User: string;
  ExposedPorts: string[];
  Volumes: string[];
  StopSignal: string;
  Cmd: string[];
  Entrypoint: string[];
}

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function configOf(text: string, buildArgs: Record<string, string>, platform: Platform): ConfigModel {
  const df = parseDockerfile(text);
  const globals = GlobalArgs.forDockerfile(df, { target: platform, build: platform, buildArgs });
  const config: ConfigModel = {
    Env: [],
    Labels: {},
    WorkingDir: '',
    User: '',
    ExposedPorts: [],
    Volumes: [],
    StopSignal: '',
    Cmd: [],
    Entrypoint: [],
  };
  let env = BuildEnv.forStage(globals, [defaultPath]);
  for (const instruction of df.stages.at(-1)!.instructions) {
    if (instruction.kind === 'arg') env = env.declareArgs(instruction);
    else
      env = apply(
        expandInstruction(instruction, env, { escapeToken: df.escapeToken }).instruction,
        env,
        config,
      );
  }
  config.Env = [...env.imageEnv()];
  config.ExposedPorts.sort();
  config.Volumes.sort();
  return config;
}

function apply(i: Instruction, env: BuildEnv, config: ConfigModel): BuildEnv {
  switch (i.kind) {
    case 'env':
      return env.applyEnv(i.variables);
    case 'label':
      for (const { key, value } of i.labels) config.Labels[key] = value;
      break;
    case 'workdir':
      config.WorkingDir = path.posix.resolve('/', config.WorkingDir || '/', i.path);
      break;
    case 'user':
      config.User = i.user;
      break;
    case 'expose':
      for (const port of i.ports) config.ExposedPorts.push(port.includes('/') ? port : `${port}/tcp`);
      break;
    case 'volume':
      config.Volumes.push(...i.volumes);
      break;
    case 'stopsignal':
      config.StopSignal = i.signal;
      break;
    case 'cmd':
      config.Cmd = argv(i.command);
      break;
    case 'entrypoint':
      config.Entrypoint = argv(i.command);
      break;
    default:
      throw new Error(`config model does not handle ${i.kind}`);
  }
  return env;
}

function argv(command: CommandLine): string[] {
  return command.form === 'exec' ? [...command.args] : ['/bin/sh', '-c', command.command];
}
