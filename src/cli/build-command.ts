/**
 * `image-build build`: parse flags, make sure we are root (or re-run under sudo), build with a progress display,
 * then write the outputs, push, and print the image digest on stdout.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildReadyToShip, type ShipNeeds } from '../build/ship-ready.js';
import { FileDigestCache } from '../context/index.js';
import type { Privilege } from '../build/rootfs/privilege.js';
import type { BuildHost, BuildResult } from '../build/types.js';
import { systemClock } from '../log.js';
import { familiarReference, formatReference, parseReference, type Reference } from '../registry/reference.js';
import type { Descriptor } from '../oci/types.js';
import type { ImageStore } from '../store/types.js';
import { parseBuildOptions, type BuildOptions } from './build-options.js';
import { prepareBuildRequest } from './build-request.js';
import { openCliCache, saveCliCache } from './cli-cache.js';
import type { CliIo } from './cli-io.js';
import { CliLogger } from './cli-logger.js';
import { createProgress, type Progress } from './progress/progress.js';
import { pushSummary } from './push-summary.js';
import { pushToTargets } from './push-targets.js';
import { dockerConfigPath } from '../registry/auth/docker-config.js';
import { RegistryClients } from './registry-clients.js';
import { handOverToSudoUser, planRootAccess } from './root-access.js';
import { openWorkStore, workDirLayout, type WorkDirLayout } from './work-dir.js';
import { checkOutputTarget, writeOutput, type ImageBlobs } from './write-output.js';

export async function runBuildCommand(args: readonly string[], io: CliIo, debug: boolean): Promise<number> {
  const options = parseBuildOptions(args, io);
  const plan = planRootAccess(io.uid, io.env, io.detectRootAccess);
  if (plan.kind === 'fail') throw plan.error;
  if (plan.kind === 'rerun') {
    // Root has another home: pin the work dir and the docker config to this user's.
    const pinned = options.workDirGiven ? args : ['--work-dir', options.workDir, ...args];
    return io.rerunAsRoot(plan.method, ['build', ...pinned], {
      DOCKER_CONFIG: dirname(dockerConfigPath(io.env, io.homeDir)),
    });
  }
  const progress = createProgress(options.progress, io.stderr, () => io.now(), io.env);
  const logger = new CliLogger(progress, debug);
  const clients = new RegistryClients({
    logger,
    env: io.env,
    homeDir: io.homeDir,
    insecureRegistries: options.insecureRegistries,
  });
  try {
    const digest = await buildAndShip(options, io, plan.privilege, { progress, logger, clients });
    progress.close();
    io.stdout.write(`${digest}\n`);
    return 0;
  } catch (err) {
    progress.failed(err);
    progress.close();
    throw err;
  } finally {
    clients.close();
  }
}

/** The display, logger and registry clients of one build. */
interface BuildTools {
  readonly progress: Progress;
  readonly logger: CliLogger;
  readonly clients: RegistryClients;
}

async function buildAndShip(
  options: BuildOptions,
  io: CliIo,
  privilege: Privilege,
  tools: BuildTools,
): Promise<string> {
  const { progress, logger, clients } = tools;
  for (const target of options.outputs) await checkOutputTarget(target);
  const layout = workDirLayout(options.workDir, io.cwd);
  const store = await openWorkStore(layout);
  // Context digests from earlier builds in this work dir: unchanged files are not read again to key COPY steps.
  const digests = await FileDigestCache.load(join(layout.build, 'context-digests.json'));
  const request = await prepareBuildRequest(options, io, logger, digests);
  const host = buildHost(io, privilege, layout, store, tools);
  const cache = await openCliCache(options, {
    store,
    workRoot: layout.build,
    privilege,
    hostEnv: host.hostEnv,
    logger,
    runId: `${io.now()}-${randomBytes(3).toString('hex')}`,
  });
  const needs: ShipNeeds = {
    export: options.outputs.length > 0,
    pushTo: options.push
      ? options.tags.map((t) => ({ client: clients.get(t.registry), repository: t.repository }))
      : [],
  };
  const result = await buildReadyToShip(request, cache ? { ...host, cache } : host, needs);
  for (const w of result.warnings) logger.warn(w);
  const image: ImageBlobs = {
    manifest: result.image.descriptor,
    blobs: [result.image.manifest.config, ...result.image.manifest.layers],
  };
  for (const t of options.tags) await store.tag(formatReference(t), image.manifest);
  await ship(options, {
    store,
    image,
    origins: originsOf(result),
    fetchMissing: result.fetchMissing,
    clients,
    progress,
    logger,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  await digests.save().catch((err: unknown) => logger.debug(`context digests not saved: ${String(err)}`));
  await writeResultFiles(options, result);
  await saveCliCache(cache, result, logger);
  const written = [...options.outputs.map((o) => o.path), options.iidFile, options.metadataFile];
  await handOverToSudoUser(
    written.filter((p): p is string => p !== undefined),
    io.uid,
    io.env,
  );
  if (options.outputs.length === 0 && !options.push) noteWhereTheImageIs(options, store, logger);
  return image.manifest.digest;
}

function buildHost(
  io: CliIo,
  privilege: Privilege,
  layout: WorkDirLayout,
  store: ImageStore,
  tools: BuildTools,
): BuildHost {
  return {
    workRoot: layout.build,
    store,
    registry: (registry) => tools.clients.get(registry),
    privilege,
    hostEnv: { PATH: io.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    resolvConf: '/etc/resolv.conf',
    logger: tools.logger,
    clock: systemClock,
    ...(io.signal ? { signal: io.signal } : {}),
    onStep: (event) => tools.progress.step(event),
  };
}

interface ShipContext {
  readonly store: ImageStore;
  readonly image: ImageBlobs;
  readonly origins: readonly Reference[];
  readonly fetchMissing: (blob: Descriptor) => Promise<void>;
  readonly clients: RegistryClients;
  readonly progress: Progress;
  readonly logger: CliLogger;
  /** SIGINT/SIGTERM: the push writes no further tag. */
  readonly signal?: AbortSignal;
}

/** Writes every --output, then pushes to every -t reference with --push. */
async function ship(options: BuildOptions, c: ShipContext): Promise<void> {
  if (options.outputs.length === 0 && !options.push) return;
  for (const target of options.outputs) {
    const task = c.progress.begin(`exporting to ${target.spec}`);
    await writeOutput(target, c.store, c.image, options.tags);
    task.done();
  }
  if (!options.push) return;
  await pushToTargets({
    store: c.store,
    source: c.image.manifest,
    targets: options.tags,
    clients: c.clients,
    logger: c.logger,
    origins: c.origins,
    fetchMissing: c.fetchMissing,
    ...(c.signal ? { signal: c.signal } : {}),
    onRegistry: (_registry, targets) => {
      const task = c.progress.begin(`pushing ${targets.map(familiarReference).join(', ')}`);
      return { done: (result) => task.done(pushSummary(result)) };
    },
  });
}

/** Without --output or --push the image is only in the work store: say so, and how to look at it. */
function noteWhereTheImageIs(options: BuildOptions, store: ImageStore, logger: CliLogger): void {
  const name = options.tags[0] ? formatReference(options.tags[0]) : undefined;
  logger.info(
    `no --output or --push given: the image is in the work store ${store.root}` +
      (name ? ` (skopeo inspect oci:${store.root}:${name})` : ''),
  );
}

/** The base images a build used, as references (blobs can be fetched or mounted from them). */
function originsOf(result: BuildResult): Reference[] {
  const refs: Reference[] = [];
  for (const ref of result.bases.keys()) {
    try {
      refs.push(parseReference(ref));
    } catch {
      // a base that does not parse was never pulled from a registry
    }
  }
  return refs;
}

/** `--iidfile` (the image ID: the config digest, as docker writes it) and `--metadata-file` (buildx's keys). */
async function writeResultFiles(options: BuildOptions, result: BuildResult): Promise<void> {
  const { descriptor, manifest } = result.image;
  if (options.iidFile !== undefined) await writeText(options.iidFile, manifest.config.digest);
  if (options.metadataFile === undefined) return;
  const metadata = {
    'containerimage.config.digest': manifest.config.digest,
    'containerimage.descriptor': {
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
    },
    'containerimage.digest': descriptor.digest,
    ...(options.tags.length > 0 ? { 'image.name': options.tags.map(formatReference).join(',') } : {}),
  };
  await writeText(options.metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
}

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
