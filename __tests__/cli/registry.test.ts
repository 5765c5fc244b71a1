/**
 * The CLI against a real registry (Debian's docker-registry on loopback, or CI's registry:2 service container
 * named by IMAGE_BUILD_TEST_REGISTRY), checked with skopeo: build --push to
 * every -t reference, `push` from an OCI layout, `pull` into a layout and a docker-archive, credentials from
 * DOCKER_CONFIG, and a build FROM a registry image whose layers the builder never needed to download.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { makeContext, runBundle, runSource, tempDir, type CliRun } from './cli-harness.js';

let reg: TestRegistry;
/** Repositories of this run: the anonymous registry may be CI's shared service container. */
const ns = `cli-${randomBytes(4).toString('hex')}`;
let authReg: TestRegistry;
const tmp = tempDir('ib-cli-reg-');
const work = join(tmp.dir, 'work');
let context: string;

beforeAll(async () => {
  [reg, authReg] = await Promise.all([
    startRegistry({ auth: 'none', external: true }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  context = makeContext(join(tmp.dir, 'ctx'), {
    Dockerfile: 'FROM scratch\nCOPY rootfs/ /\nRUN echo pushed > /pushed\nLABEL from=cli\n',
  });
});
afterAll(async () => {
  await Promise.all([reg.stop(), authReg.stop()]);
  tmp.cleanup();
});

const remoteDigest = (r: TestRegistry, ref: string): string =>
  (
    JSON.parse(
      execFileSync('skopeo', ['inspect', ...r.skopeoArgs(), `docker://${ref}`], { encoding: 'utf8' }),
    ) as {
      Digest: string;
    }
  ).Digest;

function digestOf(r: CliRun): string {
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout.trim();
}

it('build --push pushes to every -t reference', async () => {
  const refs = [`${reg.host}/${ns}/app:1`, `${reg.host}/${ns}/app:latest`, `${reg.host}/${ns}/other:1`];
  const r = await runBundle([
    'build',
    context,
    '--work-dir',
    work,
    '--progress',
    'plain',
    '--push',
    ...refs.flatMap((t) => ['-t', t]),
  ]);
  const digest = digestOf(r);
  for (const ref of refs) expect(remoteDigest(reg, ref)).toBe(digest);
  expect(r.stderr).toMatch(
    new RegExp(
      `#\\d+ pushing ${reg.host}/${ns}/app:1, ${reg.host}/${ns}/app:latest, ${reg.host}/${ns}/other:1\\n`,
    ),
  );
  expect(r.stderr).toMatch(
    /#\d+ sha256:[0-9a-f]{64} \(blobs: \d+ uploaded, (\d+ mounted, )?\d+ already there\)\n/,
  );
});

it('push copies an image from an OCI layout to several references; pull brings it back', async () => {
  const layout = join(tmp.dir, 'layout');
  const built = digestOf(
    await runBundle(['build', context, '--work-dir', work, '-t', 'local:dev', '-o', `oci:${layout}`]),
  );
  const targets = [`${reg.host}/${ns}/copy:2`, `${reg.host}/${ns}/copy:stable`];
  const pushed = await runBundle(['push', `oci:${layout}:dev`, ...targets]);
  expect(digestOf(pushed)).toBe(built);
  for (const ref of targets) expect(remoteDigest(reg, ref)).toBe(built);
  expect(pushed.stderr).toContain(`pushing dev to ${targets.join(', ')}`);

  const back = join(tmp.dir, 'pulled');
  const archive = join(tmp.dir, 'pulled.tar');
  const pulled = await runSource([
    'pull',
    targets[0]!,
    '--work-dir',
    join(tmp.dir, 'pull-work'),
    '-o',
    `oci:${back}`,
    '-o',
    `docker:${archive}`,
  ]);
  expect(digestOf(pulled)).toBe(built);
  const info = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${back}:2`], { encoding: 'utf8' })) as {
    Digest: string;
    Labels: unknown;
  };
  expect(info).toMatchObject({ Digest: built, Labels: { from: 'cli' } });
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }));
  expect(manifest[0].RepoTags).toEqual([`${reg.host}/${ns}/copy:2`]);
});

it('push from a layout with several images asks which one', async () => {
  const layout = join(tmp.dir, 'two');
  await runBundle([
    'build',
    context,
    '--work-dir',
    work,
    '-t',
    'a:one',
    '-t',
    'a:two',
    '-o',
    `oci:${layout}`,
  ]);
  const r = await runBundle(['push', `oci:${layout}`, `${reg.host}/${ns}/x:1`]);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `error: input 'SOURCE': say which image of ${layout} to use: it holds "one", "two" — write oci:DIR:NAME\n`,
  );
});

describe('credentials', () => {
  const ref = (): string => `${authReg.host}/cli/private:1`;

  it('without credentials: one line saying authentication is required', async () => {
    const empty = join(tmp.dir, 'no-docker-config');
    const r = await runBundle(['build', context, '--work-dir', work, '--push', '-t', ref()], {
      env: { DOCKER_CONFIG: empty },
    });
    expect(r.code).toBe(1);
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^error: .*${authReg.host}.*(401|authentication required)`));
  });

  it('with DOCKER_CONFIG/config.json auths: pushed', async () => {
    const dir = join(tmp.dir, 'docker-config');
    mkdirSync(dir, { recursive: true });
    const auth = Buffer.from(`${authReg.username}:${authReg.password}`).toString('base64');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [authReg.host]: { auth } } }));
    const r = await runBundle(['build', context, '--work-dir', work, '--push', '-t', ref()], {
      env: { DOCKER_CONFIG: dir },
    });
    expect(remoteDigest(authReg, ref())).toBe(digestOf(r));
    expect(r.stderr).not.toContain(authReg.password!);
  });
});

it('FROM a registry image with only config steps: the base layers are fetched for the output', async () => {
  const base = `${reg.host}/${ns}/base:1`;
  digestOf(await runBundle(['build', context, '--work-dir', work, '--push', '-t', base]));
  const child = makeContext(join(tmp.dir, 'child'), { Dockerfile: `FROM ${base}\nLABEL child=yes\n` });
  // a fresh work dir: the base's layers are not stored, and no step needs their files
  const out = join(tmp.dir, 'child-oci');
  const r = await runBundle(['build', child, '--work-dir', join(tmp.dir, 'fresh-work'), '-o', `oci:${out}`]);
  digestOf(r);
  const bundle = join(tmp.dir, 'child-bundle');
  execFileSync('umoci', ['unpack', '--image', `${out}:latest`, bundle], { stdio: 'pipe' });
  expect(execFileSync('cat', [join(bundle, 'rootfs', 'pushed')], { encoding: 'utf8' })).toBe('pushed\n');
});
