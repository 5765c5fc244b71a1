import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildStepError, describeError, type SourceLocation } from '../../errors.js';
import type { Mount } from '../../dockerfile/index.js';
import type { Json } from '../../plan/cache-key.js';
import { resolveSource } from '../../plan/stage-graph.js';
import { resolveAgainst } from '../rootfs/paths.js';
import type { SandboxMount } from '../rootfs/sandbox.js';
import type { BuildSession, StageState } from '../session.js';
import { materializeContext, selectContextPath } from '../context-mount.js';
import { readSecret } from '../secrets.js';
import { stageLowers } from './fs-step.js';
import type { RunInstruction } from '../../dockerfile/index.js';

/** The mounts of one RUN, ready for the sandbox, and what they contribute to the step's cache key. */
export interface PreparedMounts {
  readonly mounts: SandboxMount[];
  /** `NAME=value` of env secrets (never part of the key or any log). */
  readonly secretEnv: string[];
  readonly key: Json[];
}

/** Key parts of the mounts; computed without touching any file so cache hits stay cheap. */
export async function mountKeys(
  s: BuildSession,
  state: StageState,
  run: RunInstruction,
  specs: readonly Mount[],
): Promise<Json[]> {
  const out: Json[] = [];
  for (const m of specs) {
    const target =
      m.type === 'secret' || m.type === 'ssh' ? (m.target ?? '') : resolveAgainst(state.workdir, m.target);
    switch (m.type) {
      case 'cache':
        out.push({
          type: 'cache',
          target,
          id: m.id ?? '',
          sharing: m.sharing,
          readOnly: m.readOnly,
          mode: m.mode,
          uid: m.uid,
          gid: m.gid,
          from: await sourceKey(s, state, run, m.from, m.source),
        });
        break;
      case 'bind':
        out.push({
          type: 'bind',
          target,
          readOnly: m.readOnly,
          from: await sourceKey(s, state, run, m.from, m.source ?? '/', true),
        });
        break;
      case 'tmpfs':
        out.push({ type: 'tmpfs', target, size: m.sizeBytes ?? null });
        break;
      case 'secret':
        out.push({
          type: 'secret',
          id: m.id,
          target: m.target ?? null,
          env: m.env ?? null,
          required: m.required,
          mode: m.mode,
          uid: m.uid,
          gid: m.gid,
        });
        break;
      case 'ssh':
        throw new BuildStepError('RUN --mount=type=ssh is not supported by image-build', {
          location: run.location,
          hint: 'fetch private dependencies with a secret mount (--mount=type=secret,id=…) and a token instead',
        });
    }
  }
  return out;
}

/** What a bind/cache `from` contributes to the key: the source filesystem's key and the path. */
async function sourceKey(
  s: BuildSession,
  state: StageState,
  run: RunInstruction,
  from: string | undefined,
  source: string | undefined,
  context = false,
): Promise<Json> {
  if (from === undefined || from === '') {
    if (!context) return null;
    const path = source ?? '/';
    const { checksum } = await selectContextPath(s.req.context, path, run.location);
    return { context: path, checksum };
  }
  const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, run);
  if (src.kind === 'stage') return { stage: s.stages.get(src.index)?.chainKey ?? null, path: source ?? '/' };
  const img = await s.bases.resolve(src.ref, state.plan.platform, run.location);
  return { image: img.digest, path: source ?? '/' };
}

/** Creates the host side of every mount: cache dirs, secret files, context copies, stage views. */
export async function prepareMounts(
  s: BuildSession,
  state: StageState,
  run: RunInstruction,
  specs: readonly Mount[],
  scratch: string,
): Promise<PreparedMounts> {
  const mounts: SandboxMount[] = [];
  const secretEnv: string[] = [];
  let n = 0;
  for (const m of specs) {
    n++;
    const target =
      m.type === 'secret' || m.type === 'ssh' ? (m.target ?? '') : resolveAgainst(state.workdir, m.target);
    switch (m.type) {
      case 'tmpfs':
        mounts.push({
          kind: 'tmpfs',
          target,
          options: m.sizeBytes !== undefined ? `size=${m.sizeBytes}` : '',
        });
        break;
      case 'cache':
        if (m.from)
          throw new BuildStepError('RUN --mount=type=cache with from= is not supported yet', {
            location: run.location,
            hint: 'seed the cache in a RUN step instead',
          });
        mounts.push({
          kind: 'bind',
          source: await cacheDir(s, m.id ?? target, m.mode, m.uid, m.gid),
          target,
          readonly: m.readOnly,
          file: false,
        });
        break;
      case 'secret': {
        const value = await readSecret(s.req.secrets, m.id);
        if (value === undefined) {
          if (m.required)
            throw new BuildStepError(`secret ${JSON.stringify(m.id)} is required but was not given`, {
              location: run.location,
              hint: `pass it with --secret id=${m.id},src=<file> (CLI) or the secrets input`,
            });
          break;
        }
        if (m.env) secretEnv.push(`${m.env}=${value.toString('utf8')}`);
        if (m.target !== undefined) {
          const file = join(scratch, `secret-${n}`);
          await writeFile(file, value, { mode: 0o600 });
          await chown(file, m.uid, m.gid);
          await chmod(file, m.mode);
          mounts.push({ kind: 'bind', source: file, target: m.target, readonly: true, file: true });
        }
        break;
      }
      case 'bind':
        mounts.push(
          await bindMount(
            s,
            state,
            run,
            m.from,
            m.source ?? '/',
            target,
            m.readOnly,
            join(scratch, `bind-${n}`),
          ),
        );
        break;
      case 'ssh':
        throw new BuildStepError('RUN --mount=type=ssh is not supported by image-build', {
          location: run.location,
        });
    }
  }
  return { mounts, secretEnv, key: [] };
}

async function bindMount(
  s: BuildSession,
  state: StageState,
  run: RunInstruction,
  from: string | undefined,
  source: string,
  target: string,
  readOnly: boolean,
  scratch: string,
): Promise<SandboxMount> {
  const upper = readOnly ? undefined : { dir: join(scratch, 'upper'), work: join(scratch, 'work') };
  if (upper) {
    await mkdir(upper.dir, { recursive: true });
    await mkdir(upper.work, { recursive: true });
  }
  if (from === undefined || from === '') {
    const copy = await materializeContext(s.req.context, source, join(scratch, 'context'), run.location);
    if (copy.file !== undefined)
      return { kind: 'bind', source: join(copy.dir, copy.file), target, readonly: readOnly, file: true };
    return { kind: 'overlay', target, lowers: [copy.dir], ...(upper ? { upper } : {}) };
  }
  const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, run);
  const lowers =
    src.kind === 'stage'
      ? await stageLowers(s, s.stages.get(src.index)!)
      : await imageLowers(s, src.ref, state, run.location);
  if (lowers.length === 0) lowers.push({ dir: await emptyDir(join(scratch, 'empty')), opaque: new Set() });
  return {
    kind: 'overlay',
    target,
    lowers: lowers.map((l) => l.dir),
    subpath: source,
    ...(upper ? { upper } : {}),
  };
}

async function imageLowers(s: BuildSession, ref: string, state: StageState, location: SourceLocation) {
  const img = await s.bases.resolve(ref, state.plan.platform, location);
  const dirs = await Promise.all(img.image.layers.map((l) => s.layerDirs.get(l, `layer of ${ref}`)));
  return dirs.reverse();
}

async function emptyDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A persistent cache-mount directory (kept across builds on this machine and saved by the cache backends). */
async function cacheDir(
  s: BuildSession,
  id: string,
  mode: number,
  uid: number,
  gid: number,
): Promise<string> {
  const name = createHash('sha256').update(id).digest('hex').slice(0, 32);
  const dir = join(s.host.workRoot, 'cache-mounts', name);
  await s.host.cache
    ?.openCacheMount?.(id, dir)
    .catch((err: unknown) =>
      s.host.logger.warn(`cache mount ${JSON.stringify(id)} was not restored: ${describeError(err)}`),
    );
  try {
    await mkdir(dir, { recursive: false, mode });
    await chown(dir, uid, gid);
    await chmod(dir, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      await mkdir(join(s.host.workRoot, 'cache-mounts'), { recursive: true });
      return cacheDir(s, id, mode, uid, gid);
    }
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return dir;
}
