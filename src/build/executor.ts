import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildStepError, describeError } from '../errors.js';
import { BuildEnv, type Instruction } from '../dockerfile/index.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/types.js';
import { hostPlatform } from '../oci/platform.js';
import { planBuild } from '../plan/stage-graph.js';
import { BaseImages } from './base-images.js';
import { LayerDirs, type LayerSource } from './layer-dirs.js';
import type { CachedStep } from './layer-cache.js';
import { installSandboxScript } from './rootfs/sandbox.js';
import type { BuildSession, StageState, StepInfo } from './session.js';
import { StepCache } from './step-cache.js';
import { configStep, isConfigInstruction } from './steps/config.js';
import { copyStep } from './steps/copy.js';
import { startStage } from './steps/from.js';
import { runStep } from './steps/run.js';
import { workdirStep } from './steps/workdir.js';
import type { BuildHost, BuildRequest, BuildResult } from './types.js';

/**
 * Builds the Dockerfile's target into the store: the stages it needs, in dependency order, each step reused
 * from the cache when its key matches. Returns the image (manifest, config and layers are in the store, except
 * cached layers nobody needed to unpack — the lazy restore — which the cache or registry can still provide).
 */
export async function buildImage(req: BuildRequest, host: BuildHost): Promise<BuildResult> {
  const plan = planBuild(req.dockerfile, {
    ...(req.target !== undefined ? { target: req.target } : {}),
    buildArgs: req.buildArgs,
    targetPlatform: req.platform,
    buildPlatform: hostPlatform(),
  });
  const badKeys = new Set<Digest>(req.avoidCacheKeys ?? []);
  for (let attempt = 0; ; attempt++) {
    try {
      return await buildOnce(req, host, plan, badKeys);
    } catch (err) {
      // A cached layer the cache could not deliver (corrupt, truncated, evicted): build again with that step
      // treated as a miss. Steps built meanwhile are in the local step cache, so the retry is quick.
      if (!(err instanceof LayerUnavailableError) || attempt >= maxCacheRetries) throw err;
      // the cache has warned about its broken entry already: once is enough
      host.logger.debug(
        `cached layer of step ${err.key.slice(7, 19)} could not be restored (${describeError(err.cause)}); rebuilding it`,
      );
      badKeys.add(err.key);
    }
  }
}

const maxCacheRetries = 8;

/** A cache hit whose layer cannot be fetched when its files are needed. */
export class LayerUnavailableError extends Error {
  constructor(
    readonly key: Digest,
    override readonly cause: unknown,
  ) {
    super(`cached layer for step ${key} is unavailable`);
  }
}

async function buildOnce(
  req: BuildRequest,
  host: BuildHost,
  plan: BuildSession['plan'],
  badKeys: Set<Digest>,
): Promise<BuildResult> {
  const session = await openSession(req, host, plan, badKeys);
  try {
    for (const index of plan.order) {
      session.stages.set(index, await buildStage(session, index));
    }
    const target = session.stages.get(plan.target)!;
    const unused = BuildEnv.unusedBuildArgs([...session.stages.values()].map((st) => st.env));
    for (const name of unused)
      session.warnings.push(`build arg ${name} was given but no stage declares it with ARG`);
    let draft = target.draft;
    if (Object.keys(req.labels).length > 0)
      draft = draft.withConfig((c) => ({ ...c, Labels: { ...(c.Labels ?? {}), ...req.labels } }));
    if (Object.keys(req.annotations).length > 0) draft = draft.withAnnotations(req.annotations);
    const history = draft.config.history ?? [];
    const created =
      req.sourceDateEpoch !== undefined
        ? new Date(req.sourceDateEpoch * 1000).toISOString()
        : (history.at(-1)?.created ?? host.clock.now().toISOString());
    const image = await draft.withCreated(created).write(host.store);
    const bases = new Map<string, Digest>();
    for (const [ref, d] of session.baseDigests) bases.set(ref, d);
    return {
      image,
      steps: session.reports,
      warnings: session.warnings,
      bases,
      fetchMissing: (blob) => fetchResultBlob(session, blob),
    };
  } finally {
    await session.layerDirs.removeTree(session.tmp).catch(() => undefined);
  }
}

type Session = BuildSession & { readonly baseDigests: Map<string, Digest> };

/**
 * Brings a blob of the result into the store: a cached layer nobody unpacked comes from the layer cache, a base
 * layer from its registry. Push calls this only for blobs the target registry cannot get otherwise.
 */
async function fetchResultBlob(s: Session, blob: Descriptor): Promise<void> {
  if (await s.host.store.has(blob.digest)) return;
  const cached = s.remoteLayers.get(blob.digest);
  if (cached && s.host.cache) return s.host.cache.fetchLayer(cached, s.host.store);
  if (s.bases.knows(blob)) return s.bases.fetchBlob(blob);
  throw new BuildStepError(
    `blob ${blob.digest} of the built image is neither stored nor known to any cache or registry`,
  );
}

async function openSession(
  req: BuildRequest,
  host: BuildHost,
  plan: BuildSession['plan'],
  badKeys: ReadonlySet<Digest>,
): Promise<Session> {
  const tmp = join(host.workRoot, 'tmp', randomBytes(6).toString('hex'));
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  const remoteLayers = new Map<Digest, CachedStep>();
  const bases = new BaseImages({
    store: host.store,
    registry: host.registry,
    logger: host.logger,
    pull: req.pull,
  });
  const source: LayerSource = {
    fetch: async (layer) => {
      const cached = remoteLayers.get(layer.descriptor.digest);
      if (!cached || !host.cache) return bases.fetchBlob(layer.descriptor);
      try {
        await host.cache.fetchLayer(cached, host.store);
      } catch (err) {
        throw new LayerUnavailableError(cached.key, err);
      }
    },
    // a registry layer is unpacked while it downloads
    open: async (layer) =>
      remoteLayers.has(layer.descriptor.digest) || !bases.knows(layer.descriptor)
        ? undefined
        : bases.openBlob(layer.descriptor),
  };
  const layerDirs = new LayerDirs(
    join(host.workRoot, 'layers'),
    host.store,
    host.privilege,
    host.hostEnv,
    host.logger,
    source,
  );
  await layerDirs.init();
  const stepCache = new StepCache(host.workRoot);
  await stepCache.init();
  const scriptPath = join(host.workRoot, 'sandbox.pl');
  await installSandboxScript(scriptPath);
  const hostsFile = join(tmp, 'hosts');
  await writeFile(
    hostsFile,
    '127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    { mode: 0o644 },
  );
  const resolvConfFile = join(tmp, 'resolv.conf');
  await copyResolvConf(host.resolvConf, resolvConfFile);
  const session: Session = {
    req,
    host,
    plan,
    layerDirs,
    stepCache,
    bases,
    sandbox: { privilege: host.privilege, hostEnv: host.hostEnv, scriptPath },
    tmp,
    hostsFile,
    resolvConfFile,
    stages: new Map(),
    reports: [],
    warnings: [],
    remoteLayers,
    badKeys,
    baseDigests: new Map(),
  };
  return session;
}

/** The host's resolver config; systemd-resolved's stub (127.0.0.53) is replaced by its upstream servers, as BuildKit does. */
async function copyResolvConf(from: string, to: string): Promise<void> {
  let text = await readFile(from, 'utf8').catch(() => '');
  const servers = text.split('\n').filter((l) => /^\s*nameserver\s/.test(l));
  if (servers.length === 1 && servers[0]!.includes('127.0.0.53')) {
    text = await readFile('/run/systemd/resolve/resolv.conf', 'utf8').catch(() => text);
  }
  if (text === '') {
    await copyFile('/dev/null', to);
    return;
  }
  await writeFile(to, text, { mode: 0o644 });
}

async function buildStage(s: Session, index: number): Promise<StageState> {
  const plan = s.plan.stages[index]!;
  const started = s.host.clock.now().getTime();
  const { state: initial, triggers } = await startStage(s, plan);
  if (plan.base.kind === 'image')
    s.baseDigests.set(
      plan.base.ref,
      (await s.bases.resolve(plan.base.ref, plan.platform, plan.stage.from.location)).digest,
    );
  s.host.onStep?.({
    kind: 'start',
    id: `${index + 1}.0`,
    title: `[${plan.label}] ${plan.stage.from.source}`,
  });
  s.reports.push({
    id: `${index + 1}.0`,
    stage: plan.label,
    instruction: plan.stage.from.source,
    line: plan.stage.from.location.line,
    status: 'config',
    durationMs: s.host.clock.now().getTime() - started,
    key: initial.chainKey,
  });
  const instructions: Instruction[] = [...triggers, ...plan.stage.instructions];
  let state = initial;
  for (const [i, ins] of instructions.entries()) {
    if (s.host.signal?.aborted) throw new BuildStepError('build interrupted');
    const info: StepInfo = {
      id: `${index + 1}.${i + 1}`,
      stage: plan.label,
      instruction: ins.source,
      line: ins.location.line,
      slot: `${s.plan.dockerfile.file}|${plan.label}|${i}|${ins.kind}`,
      started: s.host.clock.now().getTime(),
    };
    s.host.onStep?.({
      kind: 'start',
      id: info.id,
      title: `[${plan.label} ${i + 1}/${instructions.length}] ${ins.source}`,
    });
    state = await dispatch(s, state, ins, info);
  }
  return state;
}

async function dispatch(
  s: Session,
  state: StageState,
  ins: Instruction,
  info: StepInfo,
): Promise<StageState> {
  switch (ins.kind) {
    case 'run':
      return runStep(s, state, ins, info);
    case 'copy':
    case 'add':
      return copyStep(s, state, ins, info);
    case 'workdir':
      return workdirStep(s, state, ins, info);
    case 'from':
      throw new BuildStepError('FROM inside a stage', { location: ins.location });
    default:
      if (isConfigInstruction(ins)) return configStep(s, state, ins, info);
      throw new BuildStepError(`unsupported instruction ${(ins as Instruction).kind}`, {
        location: (ins as Instruction).location,
      });
  }
}
