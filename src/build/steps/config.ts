import { BuildStepError } from '../../errors.js';
import { expandInstruction, type Instruction } from '../../dockerfile/index.js';
import type { ContainerConfig, HistoryEntry } from '../../oci/types.js';
import { goPlainSlice, goStringSlice, healthcheckHistory, historyComment } from '../history.js';
import type { BuildSession, StageState, StepInfo } from '../session.js';
import { report } from './fs-step.js';

type ConfigInstruction = Extract<
  Instruction,
  {
    kind:
      | 'env'
      | 'arg'
      | 'label'
      | 'user'
      | 'expose'
      | 'volume'
      | 'stopsignal'
      | 'cmd'
      | 'entrypoint'
      | 'shell'
      | 'healthcheck'
      | 'maintainer'
      | 'onbuild';
  }
>;

export function isConfigInstruction(i: Instruction): i is ConfigInstruction {
  return [
    'env',
    'arg',
    'label',
    'user',
    'expose',
    'volume',
    'stopsignal',
    'cmd',
    'entrypoint',
    'shell',
    'healthcheck',
    'maintainer',
    'onbuild',
  ].includes(i.kind);
}

/** Instructions that only change the image config (and the stage's env): a history entry, no layer. */
export function configStep(
  s: BuildSession,
  state: StageState,
  ins: ConfigInstruction,
  info: StepInfo,
): StageState {
  const { instruction: e } =
    ins.kind === 'arg'
      ? { instruction: ins }
      : expandInstruction(ins, state.env, { escapeToken: s.plan.dockerfile.escapeToken });
  let next = state;
  let createdBy: string | undefined;
  const config = (change: Partial<ContainerConfig> | ((c: ContainerConfig) => ContainerConfig)): void => {
    next = { ...next, draft: next.draft.withConfig(change) };
  };
  switch (e.kind) {
    case 'env': {
      const env = next.env.applyEnv(e.variables);
      next = { ...next, env };
      config({ Env: [...env.imageEnv()] });
      createdBy = `ENV ${e.variables.map((v) => `${v.key}=${v.value}`).join(' ')}`;
      break;
    }
    case 'arg': {
      const env = next.env.declareArgs(e);
      next = { ...next, env };
      const values = e.args.map((a) => {
        const v = env.lookup(a.name);
        return v === undefined ? a.name : `${a.name}=${v}`;
      });
      createdBy = `ARG ${values.join(' ')}`;
      break;
    }
    case 'label':
      config((c) => ({
        ...c,
        Labels: { ...(c.Labels ?? {}), ...Object.fromEntries(e.labels.map((l) => [l.key, l.value])) },
      }));
      createdBy = `LABEL ${e.labels.map((l) => `${l.key}=${l.value}`).join(' ')}`;
      break;
    case 'user':
      config({ User: e.user });
      createdBy = `USER ${e.user}`;
      break;
    case 'expose': {
      const ports = e.ports.flatMap((p) => normalizePorts(p, ins));
      config((c) => ({
        ...c,
        ExposedPorts: { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) },
      }));
      createdBy = `EXPOSE ${goPlainSlice(ports)}`;
      break;
    }
    case 'volume':
      config((c) => ({
        ...c,
        Volumes: { ...(c.Volumes ?? {}), ...Object.fromEntries(e.volumes.map((v) => [v, {}])) },
      }));
      createdBy = `VOLUME ${goPlainSlice(e.volumes)}`;
      break;
    case 'stopsignal':
      config({ StopSignal: e.signal });
      createdBy = `STOPSIGNAL ${e.signal}`;
      break;
    case 'cmd': {
      const cmd = e.command.form === 'exec' ? [...e.command.args] : [...next.shell, e.command.command];
      config({ Cmd: cmd, ArgsEscaped: true });
      next = { ...next, cmdSet: true };
      createdBy = `CMD ${goStringSlice(cmd)}`;
      break;
    }
    case 'entrypoint': {
      const ep = e.command.form === 'exec' ? [...e.command.args] : [...next.shell, e.command.command];
      const keepCmd = next.cmdSet;
      config((c) => {
        const out: ContainerConfig = { ...c, Entrypoint: ep };
        if (!keepCmd) delete (out as { Cmd?: unknown }).Cmd;
        return out;
      });
      createdBy = `ENTRYPOINT ${goStringSlice(ep)}`;
      break;
    }
    case 'shell':
      config({ Shell: [...e.shell] });
      next = { ...next, shell: [...e.shell] };
      createdBy = `SHELL ${goPlainSlice(e.shell)}`;
      break;
    case 'healthcheck':
      config({
        Healthcheck:
          e.check.type === 'none'
            ? { Test: ['NONE'] }
            : {
                Test: [...e.check.test],
                ...(e.check.interval ? { Interval: e.check.interval } : {}),
                ...(e.check.timeout ? { Timeout: e.check.timeout } : {}),
                ...(e.check.startPeriod ? { StartPeriod: e.check.startPeriod } : {}),
                ...(e.check.startInterval ? { StartInterval: e.check.startInterval } : {}),
                ...(e.check.retries ? { Retries: e.check.retries } : {}),
              },
      });
      createdBy = healthcheckHistory(e.check);
      break;
    case 'maintainer':
      next = { ...next, draft: next.draft.withAuthor(e.maintainer) };
      createdBy = `MAINTAINER ${e.maintainer}`;
      break;
    case 'onbuild':
      config((c) => ({ ...c, OnBuild: [...(c.OnBuild ?? []), e.expression] }));
      break;
  }
  report(s, info, { status: 'config' });
  if (createdBy === undefined) return next;
  const created =
    s.req.sourceDateEpoch !== undefined
      ? new Date(s.req.sourceDateEpoch * 1000).toISOString()
      : (next.lastCreated ?? s.host.clock.now().toISOString());
  const entry: HistoryEntry = { created, created_by: createdBy, comment: historyComment };
  return { ...next, draft: next.draft.withHistory(entry), lastCreated: created };
}

/** EXPOSE words as BuildKit stores them: `80` → `80/tcp`, ranges expanded, `ip:host:ctr` → the container port. */
export function normalizePorts(word: string, ins: Instruction): string[] {
  const [spec, protoRaw] = word.split('/', 2) as [string, string | undefined];
  const proto = (protoRaw ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto))
    throw new BuildStepError(`invalid proto: ${protoRaw}`, { location: ins.location });
  const container = spec.split(':').at(-1)!;
  const m = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!m)
    throw new BuildStepError(`invalid containerPort: ${container}`, {
      location: ins.location,
      hint: 'EXPOSE takes port[/tcp|udp|sctp] or a range like 8000-8010',
    });
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (end < start || end > 65535)
    throw new BuildStepError(`invalid port range: ${container}`, { location: ins.location });
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}
