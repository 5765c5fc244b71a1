/**
 * The differential harness: builds a fixture (./differential-fixture.ts) with our `buildImage` and with buildah,
 * both from the same base image pulled by reference from a loopback registry, unpacks both images with umoci
 * and compares the file trees (./differential-tree.ts) and configs (./differential-config.ts); our history is
 * checked against BuildKit's texts. Differences the fixture allows (with a reason) are accepted; allowances that
 * match nothing are reported as stale.
 *
 *   const suite = await startDifferential();      // registry + base image + buildah storage, once per file
 *   const outcome = await suite.run(fixture);     // unexpected differences, stale allowances, history problems
 *   await suite.stop();
 *
 * Needs root, buildah, umoci, docker-registry, GNU tar, busybox-static.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildImage } from '../../src/build/executor.js';
import type { BuildResult } from '../../src/build/types.js';
import { findIgnoreFile, openBuildContext } from '../../src/context/index.js';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { validateImage } from '../../src/oci/validate.js';
import { pullImage } from '../../src/registry/pull.js';
import { parseReference } from '../../src/registry/reference.js';
import { makeBuildHost, type TestBuildHost } from './build-host.js';
import { pushBaseImage, type BaseImage } from './differential-base.js';
import { Buildah } from './differential-buildah.js';
import { checkHistory, compareConfigs } from './differential-config.js';
import { fixtureControlFiles, judge, type Allowance, type Fixture } from './differential-fixture.js';
import { compareTrees, formatDifference, readTree, type Difference } from './differential-tree.js';
import { serveFixtureFiles } from './differential-http.js';
import { startRegistry, type TestRegistry } from './registry.js';

const run = promisify(execFile);

export interface DifferentialOutcome {
  /** Every difference found, allowed or not (for diagnostics). */
  readonly differences: readonly Difference[];
  /** Differences no allowance covers, rendered `path: field ours=… buildah=…`. */
  readonly unexpected: readonly string[];
  /** Allowances that matched no difference. */
  readonly staleAllowances: readonly Allowance[];
  /** Our history against BuildKit's texts and layer rule; problems with our image's structure. */
  readonly historyProblems: readonly string[];
  readonly imageProblems: readonly string[];
  readonly warnings: readonly string[];
  /** Paths in each unpacked tree (0 would mean nothing was compared). */
  readonly paths: { readonly ours: number; readonly buildah: number };
}

export interface DifferentialSuite {
  readonly base: BaseImage;
  /** The buildah compared against; allowances were verified with `verifiedBuildahVersion`. */
  readonly buildahVersion: string;
  run(fixture: Fixture): Promise<DifferentialOutcome>;
  stop(): Promise<void>;
}

export async function startDifferential(): Promise<DifferentialSuite> {
  const root = mkdtempSync(join(tmpdir(), 'ib-differential-'));
  let registry: TestRegistry | undefined;
  let host: TestBuildHost | undefined;
  try {
    registry = await startRegistry({ auth: 'none' });
    const base = await pushBaseImage(join(root, 'base'), registry.host);
    host = await makeBuildHost();
    const buildah = new Buildah(join(root, 'buildah'));
    const buildahVersion = await buildah.version();
    const reg = registry;
    const h = host;
    return {
      base,
      buildahVersion,
      run: (fixture) => runFixture({ root, base, host: h, buildah }, fixture),
      stop: async () => {
        h.cleanup();
        await reg.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    host?.cleanup();
    await registry?.stop();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

interface Parts {
  readonly root: string;
  readonly base: BaseImage;
  readonly host: TestBuildHost;
  readonly buildah: Buildah;
}

async function runFixture(p: Parts, fixture: Fixture): Promise<DifferentialOutcome> {
  const work = mkdtempSync(join(p.root, `${fixture.name}-`));
  const served = await serveFixtureFiles(fixture.dir);
  try {
    const context = join(work, 'context');
    await prepareContext(fixture, context);
    const buildArgs = {
      BASE: p.base.reference,
      ...(served ? { HTTP_BASE: served.base } : {}),
      ...fixture.buildArgs,
    };
    const [ours, theirs] = await Promise.all([
      buildOurs(p, fixture, context, buildArgs, join(work, 'ours')),
      p.buildah.build({
        contextDir: context,
        dockerfile: join(fixture.dir, fixture.buildahDockerfile),
        tag: `localhost/differential-${fixture.name}`,
        buildArgs,
        ...(fixture.target !== undefined ? { target: fixture.target } : {}),
        ...(fixture.sourceDateEpoch !== undefined ? { timestamp: fixture.sourceDateEpoch } : {}),
        format: fixture.buildahFormat,
        layout: join(work, 'buildah-layout'),
      }),
    ]);
    const buildahRootfs = await unpack(`${theirs.layout}:latest`, join(work, 'buildah'));
    const mtimes = fixture.sourceDateEpoch !== undefined;
    const ourTree = await readTree(ours.rootfs, { mtimes });
    const buildahTree = await readTree(buildahRootfs, { mtimes });
    const differences = [
      ...compareTrees(ourTree, buildahTree),
      ...compareConfigs(ours.result.image.config, theirs.config),
    ];
    const verdict = judge(differences, fixture.allowed);
    return {
      differences,
      unexpected: verdict.unexpected.map(formatDifference),
      staleAllowances: verdict.unused,
      historyProblems: checkHistory(
        ours.result.image.config,
        ours.baseEntries,
        fixture.history?.map((h) => (served ? h.replaceAll('{{HTTP_BASE}}', served.base) : h)),
      ),
      imageProblems: ours.problems,
      warnings: ours.result.warnings,
      paths: { ours: ourTree.size, buildah: buildahTree.size },
    };
  } finally {
    await served?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The fixture folder without its control files, then `setup.sh` run inside it. */
async function prepareContext(fixture: Fixture, context: string): Promise<void> {
  cpSync(fixture.dir, context, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !fixtureControlFiles.includes(src.slice(fixture.dir.length + 1)),
  });
  const setup = join(fixture.dir, 'setup.sh');
  try {
    readFileSync(setup);
  } catch {
    return;
  }
  await run('sh', ['-eu', setup], { cwd: context });
}

interface OurImage {
  readonly result: BuildResult;
  readonly rootfs: string;
  readonly baseEntries: number;
  readonly problems: readonly string[];
}

async function buildOurs(
  p: Parts,
  fixture: Fixture,
  contextDir: string,
  buildArgs: Readonly<Record<string, string>>,
  out: string,
): Promise<OurImage> {
  const dockerfilePath = join(contextDir, 'Dockerfile');
  const text = readFileSync(dockerfilePath);
  const ignore = await findIgnoreFile({ contextDir, dockerfile: dockerfilePath });
  const context = await openBuildContext({ dir: contextDir, ...(ignore ? { ignore: ignore.matcher } : {}) });
  const store = p.host.host.store;
  const result = await buildImage(
    {
      dockerfile: parseDockerfile(text, { file: 'Dockerfile' }),
      context,
      ...(fixture.target !== undefined ? { target: fixture.target } : {}),
      buildArgs,
      platform: hostPlatform(),
      secrets: new Map(),
      labels: {},
      annotations: {},
      ...(fixture.sourceDateEpoch !== undefined ? { sourceDateEpoch: fixture.sourceDateEpoch } : {}),
      noCache: false,
      pull: false,
      compression: 'gzip',
    },
    p.host.host,
  );
  // Base layers no step needed are not downloaded by the build (lazy); umoci needs every blob.
  const missing = [];
  for (const l of result.image.layers) if (!(await store.has(l.descriptor.digest))) missing.push(l);
  if (missing.length > 0)
    await pullImage(p.host.host.registry(p.base.reference.split('/')[0]!), parseReference(p.base.reference), {
      store,
      logger: p.host.logger,
      tag: false,
    });
  const problems = (await validateImage(store, result.image.descriptor)).map((x) => JSON.stringify(x));
  const tag = `differential/${fixture.name}`;
  await store.tag(tag, result.image.descriptor);
  const rootfs = await unpack(`${store.root}:${tag}`, out);
  await store.untag(tag);
  const baseEntries = usesBase(result) ? p.base.historyLength : 0;
  return { result, rootfs, baseEntries, problems };
}

/** Whether the target image starts from the base image (its history begins with the base's entries). */
function usesBase(result: BuildResult): boolean {
  return result.image.config.history?.[0]?.created_by === 'busybox userland, users and groups';
}

/** `umoci unpack` (as root: owners, devices and special bits are kept); returns the rootfs path. */
async function unpack(image: string, bundle: string): Promise<string> {
  try {
    await run('umoci', ['unpack', '--image', image, bundle], { maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`umoci unpack ${image} failed: ${e.message}\n${e.stderr ?? ''}`, { cause: err });
  }
  return join(bundle, 'rootfs');
}
