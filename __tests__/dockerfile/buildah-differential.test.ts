/**
 * Differential check against an independent implementation: buildah (which builds from BuildKit's parser
 * and an older copy of its shell lexer) builds each config-only Dockerfile in fixtures/buildah/ (discovered
 * by listing, optional build-args.json), and the resulting image config must equal what our parse +
 * expansion + ARG scoping compute. Needs the `buildah` binary (Debian package `buildah`) and root.
 *
 * Only behaviour both implement is compared here. buildah 1.28 lacks `${V-w}`/`${V+w}`/`${V#p}`… and
 * expands with `\` even under `# escape=\``; those are covered by the unit tests against BuildKit's rules.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hostPlatform } from '../../src/oci/platform.js';
import { configOf, type ConfigModel } from './config-model.js';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/buildah/', import.meta.url));
const cases = readdirSync(fixtures).sort();
const root = mkdtempSync(path.join(os.tmpdir(), 'df-buildah-'));
const storage = [
  '--storage-driver',
  'vfs',
  '--root',
  path.join(root, 'root'),
  '--runroot',
  path.join(root, 'run'),
];

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function buildahConfig(
  dir: string,
  buildArgs: Record<string, string>,
  tag: string,
): Promise<ConfigModel> {
  const args = Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  await run('buildah', [...storage, 'build', '--isolation', 'chroot', '-q', '-t', tag, ...args, dir]);
  const { stdout } = await run('buildah', [...storage, 'inspect', tag], { maxBuffer: 16 << 20 });
  const c = (JSON.parse(stdout) as { OCIv1: { config: Record<string, unknown> } }).OCIv1.config;
  const labels = { ...(c.Labels as Record<string, string> | undefined) };
  delete labels['io.buildah.version'];
  return {
    Env: (c.Env as string[] | undefined) ?? [],
    Labels: labels,
    WorkingDir: (c.WorkingDir as string | undefined) ?? '',
    User: (c.User as string | undefined) ?? '',
    ExposedPorts: Object.keys((c.ExposedPorts as object | undefined) ?? {}).sort(),
    Volumes: Object.keys((c.Volumes as object | undefined) ?? {}).sort(),
    StopSignal: (c.StopSignal as string | undefined) ?? '',
    Cmd: (c.Cmd as string[] | undefined) ?? [],
    Entrypoint: (c.Entrypoint as string[] | undefined) ?? [],
  };
}

test('fixtures are discovered', () => {
  expect(cases.length).toBeGreaterThanOrEqual(8);
});

test.each(cases)('%s: buildah and our model agree on the image config', async (name) => {
  const dir = path.join(fixtures, name);
  const argsFile = path.join(dir, 'build-args.json');
  const buildArgs = existsSync(argsFile)
    ? (JSON.parse(readFileSync(argsFile, 'utf8')) as Record<string, string>)
    : {};
  const ours = configOf(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), buildArgs, hostPlatform());
  const theirs = await buildahConfig(dir, buildArgs, `df-${name}`);
  expect(ours).toEqual(theirs);
});
