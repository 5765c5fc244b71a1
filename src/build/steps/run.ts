import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildStepError, type SourceLocation } from '../../errors.js';
import { expandInstruction, runScript, type RunInstruction } from '../../dockerfile/index.js';
import { formatPlatform } from '../../oci/platform.js';
import { runHistory } from '../history.js';
import type { BuildSession, StageState, StepInfo } from '../session.js';
import { runInSandbox, type SandboxMount } from '../rootfs/sandbox.js';
import { mountKeys, prepareMounts } from './run-mounts.js';
import { runFsStep } from './fs-step.js';

/** BuildKit's default PATH, added to a RUN's env when none is set. */
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const outputTailLines = 20;

export async function runStep(
  s: BuildSession,
  state: StageState,
  ins: RunInstruction,
  info: StepInfo,
): Promise<StageState> {
  const { instruction: run } = expandInstruction(ins, state.env, {
    escapeToken: s.plan.dockerfile.escapeToken,
  });
  if (run.security === 'insecure') {
    throw new BuildStepError('RUN --security=insecure is not allowed', {
      location: ins.location,
      hint: 'image-build never grants the insecure entitlement',
    });
  }
  if (run.devices.length > 0) {
    throw new BuildStepError('RUN --device is not supported by image-build', { location: ins.location });
  }
  const script = runScript(ins);
  const argv = script.form === 'exec' ? [...script.args] : [...state.shell, script.command];
  if (argv.length === 0) throw new BuildStepError('RUN has no command', { location: ins.location });
  const env = withDefaultPath(state.env.runEnv());
  const user = state.draft.config.config?.User ?? '';
  const stageArgs = state.env
    .declaredArgs()
    .map((a) => [a.name, state.env.lookup(a.name) ?? a.value ?? ''] as const);
  const inputs = {
    op: 'run',
    args: argv,
    env,
    cwd: state.workdir,
    user,
    network: run.network,
    mounts: await mountKeys(s, state, ins, run.mountSpecs),
    inline: script.form === 'shell' && script.file ? script.file.content : null,
    platform: formatPlatform(state.plan.platform),
  };
  return runFsStep(s, state, info, {
    inputs,
    history: runHistory(argv, stageArgs),
    execute: async (upper, lowers) => {
      const scratch = join(s.tmp, `run-${info.id.replace(/[^a-z0-9]/gi, '-')}`);
      await mkdir(scratch, { recursive: true, mode: 0o700 });
      const work = `${upper}.work`;
      // The step's scratch (secret files, context copies) and the overlay's work dir go when the step ends,
      // whatever happens: a secret is on disk only while its step runs; an interrupted build leaves neither.
      try {
        const prepared = await prepareMounts(s, state, ins, run.mountSpecs, scratch);
        const mounts: SandboxMount[] = [...prepared.mounts];
        if (script.form === 'shell' && script.file) {
          const pipes = join(scratch, 'pipes');
          await mkdir(pipes, { recursive: true });
          await writeFile(join(pipes, script.file.name), script.file.content);
          await chmod(join(pipes, script.file.name), script.file.mode);
          mounts.push({
            kind: 'bind',
            source: pipes,
            target: script.file.directory,
            readonly: true,
            file: false,
          });
        }
        const mnt = join(scratch, 'rootfs');
        await mkdir(work, { recursive: true });
        await mkdir(mnt, { recursive: true });
        const empty = join(scratch, 'empty');
        await mkdir(empty, { recursive: true });
        const tail: string[] = [];
        let partial = '';
        const outcome = await atInstruction(
          ins.location,
          runInSandbox(s.sandbox, {
            rootfs: {
              mountpoint: mnt,
              lowers: lowers.length > 0 ? lowers.map((l) => l.dir) : [empty],
              upper,
              work,
            },
            argv,
            env: [...env, ...state.env.proxyEnv(), ...prepared.secretEnv],
            cwd: state.workdir,
            user,
            network: run.network === 'none' ? 'none' : 'host',
            hostname: 'buildkitsandbox',
            hostsFile: s.hostsFile,
            resolvConfFile: s.resolvConfFile,
            mounts,
            scratchDir: scratch,
            ...(s.host.signal ? { signal: s.host.signal } : {}),
            onOutput: (chunk) => {
              const text = chunk.toString('utf8');
              s.host.onStep?.({ kind: 'output', id: info.id, text });
              const lines = (partial + text).split('\n');
              partial = lines.pop() ?? '';
              tail.push(...lines);
              if (tail.length > outputTailLines) tail.splice(0, tail.length - outputTailLines);
            },
          }),
        );
        if (partial) tail.push(partial);
        if (outcome.kind !== 'exit' || outcome.code !== 0) {
          const how =
            outcome.kind === 'exit' ? `exit code: ${outcome.code}` : `killed by signal ${outcome.signal}`;
          throw new BuildStepError(
            `process ${JSON.stringify(argv.join(' '))} did not complete successfully: ${how}`,
            {
              location: ins.location,
              ...(outcome.kind === 'exit' ? { exitCode: outcome.code } : {}),
              outputTail: tail.slice(-outputTailLines),
              hint:
                tail.length > 0
                  ? `last output: ${tail.slice(-3).join(' | ')}`
                  : 'the command printed nothing',
            },
          );
        }
      } finally {
        await s.layerDirs.removeTree(work).catch(() => undefined);
        await s.layerDirs.removeTree(scratch).catch(() => undefined);
      }
    },
  });
}

/** A sandbox failure (it could not mount or exec) names the RUN's Dockerfile line, like the command's own failures. */
async function atInstruction<T>(location: SourceLocation, run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (err) {
    if (!(err instanceof BuildStepError) || err.location !== undefined) throw err;
    throw new BuildStepError(err.message, { location, ...(err.hint ? { hint: err.hint } : {}), cause: err });
  }
}

function withDefaultPath(env: readonly string[]): string[] {
  return env.some((e) => e.startsWith('PATH=')) ? [...env] : [...env, `PATH=${defaultPath}`];
}
