import { expandInstruction, type WorkdirInstruction } from '../../dockerfile/index.js';
import { historyComment } from '../history.js';
import { resolveFileOwner } from '../file-owner.js';
import { resolveAgainst } from '../rootfs/paths.js';
import { UpperWriter } from '../rootfs/upper-writer.js';
import type { BuildSession, StageState, StepInfo } from '../session.js';
import { report, runFsStep } from './fs-step.js';

/**
 * WORKDIR: BuildKit mkdirs the directory (0755, owned by the current USER with FileOp rules) as its own layer —
 * an empty layer when it already exists — except for `/`, which only changes the config.
 */
export async function workdirStep(
  s: BuildSession,
  state: StageState,
  ins: WorkdirInstruction,
  info: StepInfo,
): Promise<StageState> {
  const { instruction } = expandInstruction(ins, state.env, { escapeToken: s.plan.dockerfile.escapeToken });
  const path = resolveAgainst(state.workdir, instruction.path);
  const draft0 = state.draft.withConfig({ WorkingDir: path });
  const next: StageState = { ...state, draft: draft0, workdir: path };
  if (path === '/') {
    const created = state.lastCreated ?? epochTime(s);
    report(s, info, { status: 'config' });
    return {
      ...next,
      draft: draft0.withHistory({
        ...(created ? { created } : {}),
        created_by: 'WORKDIR /',
        comment: historyComment,
      }),
    };
  }
  const user = state.draft.config.config?.User ?? '';
  return runFsStep(s, next, info, {
    inputs: { op: 'mkdir', path, user },
    history: `WORKDIR ${path}`,
    execute: async (upper, lowers) => {
      const writer = new UpperWriter(upper, lowers);
      const owner = user === '' ? { uid: 0, gid: 0 } : await resolveFileOwner(user, writer.view);
      const existing = writer.view.lstatSync(writer.view.resolveSync(path));
      if (existing?.stats.isDirectory()) return;
      const epoch = s.req.sourceDateEpoch;
      await writer.mkdirp(writer.view.resolveSync(path), {
        ...owner,
        mode: 0o755,
        ...(epoch !== undefined ? { mtime: epoch } : {}),
      });
    },
  });
}

function epochTime(s: BuildSession): string | undefined {
  return s.req.sourceDateEpoch !== undefined
    ? new Date(s.req.sourceDateEpoch * 1000).toISOString()
    : undefined;
}
