import { BuildEnv, parseOnbuildTrigger, type Instruction } from '../../dockerfile/index.js';
import { ImageDraft } from '../../oci/image-draft.js';
import { formatPlatform } from '../../oci/platform.js';
import { stepKey } from '../../plan/cache-key.js';
import type { StagePlan } from '../../plan/stage-graph.js';
import type { BuildSession, StageState } from '../session.js';
import { defaultPath } from './run.js';

const defaultShell = ['/bin/sh', '-c'];

export interface StageStart {
  readonly state: StageState;
  /** ONBUILD triggers of the base, run before the stage's own instructions. */
  readonly triggers: readonly Instruction[];
}

/** FROM: the stage's starting image (scratch, an earlier stage, or a registry image) and environment. */
export async function startStage(s: BuildSession, plan: StagePlan): Promise<StageStart> {
  const globals = s.plan.globals;
  const from = plan.stage.from;
  let start: StageStart;
  switch (plan.base.kind) {
    case 'scratch': {
      const draft = ImageDraft.scratch(plan.platform, 'oci').withConfig({
        Env: [`PATH=${defaultPath}`],
        WorkingDir: '/',
      });
      start = {
        state: initial(
          plan,
          draft,
          BuildEnv.forStage(globals, [`PATH=${defaultPath}`]),
          '/',
          defaultShell,
          stepKey({ op: 'scratch', platform: formatPlatform(plan.platform) }),
        ),
        triggers: [],
      };
      break;
    }
    case 'stage': {
      const parent = s.stages.get(plan.base.index)!;
      const triggers = parent.draft.config.config?.OnBuild ?? [];
      const draft = parent.draft.withConfig((c) => withoutOnBuild(c));
      start = {
        state: { ...parent, plan, draft, cmdSet: false },
        triggers: triggers.map((t) => parseOnbuildTrigger(t, from.location)),
      };
      break;
    }
    case 'image': {
      const base = await s.bases.resolve(plan.base.ref, plan.platform, from.location);
      const cfg = base.image.config.config ?? {};
      const draft = ImageDraft.from(base.image, 'oci')
        .withCreated(undefined)
        .withConfig((c) => withoutOnBuild(c));
      const env = BuildEnv.forStage(globals, cfg.Env ?? []);
      start = {
        state: initial(
          plan,
          draft,
          env,
          cfg.WorkingDir || '/',
          cfg.Shell ?? defaultShell,
          stepKey({ op: 'from', image: base.digest, platform: formatPlatform(plan.platform) }),
        ),
        triggers: (cfg.OnBuild ?? []).map((t) => parseOnbuildTrigger(t, from.location)),
      };
      break;
    }
  }
  return { ...start, state: ensurePath(start.state) };
}

function initial(
  plan: StagePlan,
  draft: ImageDraft,
  env: BuildEnv,
  workdir: string,
  shell: readonly string[],
  chainKey: StageState['chainKey'],
): StageState {
  return { plan, draft, env, workdir, shell: [...shell], chainKey, cmdSet: false, lastCreated: undefined };
}

function withoutOnBuild<T extends { OnBuild?: unknown }>(c: T): T {
  const out = { ...c };
  delete out.OnBuild;
  return out;
}

/** BuildKit adds the default PATH to the config of every stage whose base has none. */
function ensurePath(state: StageState): StageState {
  const env = state.draft.config.config?.Env ?? [];
  if (env.some((e) => e.startsWith('PATH='))) return state;
  return {
    ...state,
    env: state.env.setEnv('PATH', defaultPath),
    draft: state.draft.withConfig({ Env: [...env, `PATH=${defaultPath}`] }),
  };
}
