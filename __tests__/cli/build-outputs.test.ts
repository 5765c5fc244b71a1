/**
 * Real builds through the CLI, checked with independent tools: `--output oci:` read by `skopeo inspect
 * oci:DIR:TAG` and unpacked by umoci, `docker:` by `skopeo inspect docker-archive:`, `oci-archive:` likewise;
 * --build-arg, --target, --label, --iidfile, --metadata-file; plain progress lines and a warm second build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext, runBundle, runSource, tempDir, type CliRun } from './cli-harness.js';

const dockerfile = `FROM scratch AS base
COPY rootfs/ /

FROM base AS build
ARG MSG=default
RUN echo "$MSG" > /msg && echo built-$MSG
LABEL stage=build

FROM base
COPY --from=build /msg /msg
LABEL stage=final
CMD ["/bin/cat", "/msg"]
`;

const tmp = tempDir('ib-cli-out-');
const context = join(tmp.dir, 'ctx');
const work = join(tmp.dir, 'work');
beforeAll(() => makeContext(context, { Dockerfile: dockerfile }));
afterAll(() => tmp.cleanup());

const skopeo = (...args: string[]): Record<string, unknown> =>
  JSON.parse(execFileSync('skopeo', ['inspect', ...args], { encoding: 'utf8' })) as Record<string, unknown>;

function build(args: string[], run = runBundle): Promise<CliRun> {
  return run(['build', context, '--work-dir', work, '--progress', 'plain', ...args]);
}

function expectSuccess(r: CliRun): string {
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  return r.stdout.trim();
}

function unpackFile(layout: string, name: string, file: string): string {
  const bundle = join(tmp.dir, `bundle-${Math.random().toString(36).slice(2)}`);
  execFileSync('umoci', ['unpack', '--image', `${layout}:${name}`, bundle], { stdio: 'pipe' });
  return readFileSync(join(bundle, 'rootfs', file), 'utf8');
}

interface OutputCase {
  readonly name: string;
  readonly given: (out: string) => string[];
  readonly want: (out: string, digest: string) => void;
}

const outputs: OutputCase[] = [
  {
    name: 'oci:DIR, named by each tag, read by skopeo and unpacked by umoci',
    given: (out) => [
      '-t',
      'hello:dev',
      '-t',
      'ghcr.io/owner/hello:1.0',
      '--label',
      'extra=yes',
      '-o',
      `oci:${out}`,
    ],
    want: (out, digest) => {
      for (const tag of ['dev', '1.0']) {
        const info = skopeo(`oci:${out}:${tag}`);
        expect(info['Digest']).toBe(digest);
        expect(info['Labels']).toEqual({ stage: 'final', extra: 'yes' });
      }
      expect(unpackFile(out, 'dev', 'msg')).toBe('default\n');
      expect(readdirSync(out).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    },
  },
  {
    name: 'oci:DIR without -t is named latest',
    given: (out) => ['-o', `oci:${out}`],
    want: (out, digest) => expect(skopeo(`oci:${out}:latest`)['Digest']).toBe(digest),
  },
  {
    name: 'docker:FILE with the -t names as RepoTags',
    given: (out) => ['-t', 'hello:dev', '-o', `docker:${out}`],
    want: (out) => {
      expect(skopeo(`docker-archive:${out}`)['Labels']).toEqual({ stage: 'final' });
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', out, 'manifest.json'], { encoding: 'utf8' }));
      expect(manifest[0].RepoTags).toEqual(['hello:dev']);
    },
  },
  {
    name: 'oci-archive:FILE',
    given: (out) => ['-o', `oci-archive:${out}`],
    want: (out, digest) => expect(skopeo(`oci-archive:${out}`)['Digest']).toBe(digest),
  },
  {
    name: '--build-arg reaches RUN',
    given: (out) => ['--build-arg', 'MSG=hi there', '-o', `oci:${out}`],
    want: (out) => expect(unpackFile(out, 'latest', 'msg')).toBe('hi there\n'),
  },
  {
    name: '--build-arg KEY takes the value from the environment',
    given: (out) => ['--build-arg', 'MSG', '-o', `oci:${out}`],
    want: (out) => expect(unpackFile(out, 'latest', 'msg')).toBe('from-env\n'),
  },
  {
    name: '--target builds that stage',
    given: (out) => ['--target', 'build', '-o', `oci:${out}`],
    want: (out) => expect(skopeo(`oci:${out}:latest`)['Labels']).toEqual({ stage: 'build' }),
  },
];

test.each(outputs)('$name', async ({ name, given, want }) => {
  const out = join(tmp.dir, name.replace(/[^a-z0-9]+/gi, '-'));
  const r = await runBundle(['build', context, '--work-dir', work, '--progress', 'plain', ...given(out)], {
    env: { MSG: 'from-env' },
  });
  want(out, expectSuccess(r));
});

it('plain progress: numbered step lines, RUN output, then every step CACHED on the second build', async () => {
  const epoch = ['--source-date-epoch', '1700000000', '--no-cache'];
  const first = await build([...epoch, '--build-arg', 'MSG=plain']);
  const digest = expectSuccess(first);
  const lines = first.stderr.split('\n');
  expect(lines).toContain('#1 [base] FROM scratch AS base');
  expect(lines).toContainEqual(expect.stringMatching(/^#2 \[base 1\/1\] COPY rootfs\/ \/$/));
  const run = lines.find((l) => /^#\d+ \[build 2\/3\] RUN echo "\$MSG" > \/msg/.test(l));
  expect(run).toBeDefined();
  const n = run!.split(' ')[0];
  expect(lines).toContain(`${n} built-plain`);
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${n} DONE \\d+\\.\\ds$`)));
  const second = await build(['--source-date-epoch', '1700000000', '--build-arg', 'MSG=plain']);
  expect(expectSuccess(second)).toBe(digest);
  const cached = second.stderr.split('\n').filter((l) => / CACHED$/.test(l));
  expect(cached).toHaveLength(3); // COPY rootfs, RUN, COPY --from
  expect(second.stderr).not.toContain('built-plain');
});

it('the bundle and the source build the same image, byte for byte', async () => {
  const args = ['--source-date-epoch', '1700000000', '--build-arg', 'MSG=same'];
  const fromBundle = expectSuccess(await build([...args, '--no-cache']));
  const fromSource = expectSuccess(await build([...args, '--no-cache'], runSource));
  expect(fromSource).toBe(fromBundle);
});

it('--iidfile gets the config digest, --metadata-file buildx-style JSON', async () => {
  const iid = join(tmp.dir, 'iid');
  const meta = join(tmp.dir, 'meta', 'metadata.json');
  const digest = expectSuccess(await build(['-t', 'hello:meta', '--iidfile', iid, '--metadata-file', meta]));
  const metadata = JSON.parse(readFileSync(meta, 'utf8'));
  expect(metadata).toEqual({
    'containerimage.config.digest': readFileSync(iid, 'utf8'),
    'containerimage.descriptor': {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: expect.any(Number),
    },
    'containerimage.digest': digest,
    'image.name': 'docker.io/library/hello:meta',
  });
  expect(readFileSync(iid, 'utf8')).toMatch(/^sha256:[0-9a-f]{64}$/);
});

it('-f - reads the Dockerfile from stdin', async () => {
  const out = join(tmp.dir, 'stdin-oci');
  const r = await runBundle(['build', context, '--work-dir', work, '-f', '-', '-o', `oci:${out}`], {
    stdin: 'FROM scratch\nCOPY rootfs/bin/busybox /busybox\nLABEL from=stdin\n',
  });
  expectSuccess(r);
  expect(skopeo(`oci:${out}:latest`)['Labels']).toEqual({ from: 'stdin' });
});

it('refuses, before building, to write into a directory that holds other files, or an archive over a directory', async () => {
  const out = join(tmp.dir, 'not-a-layout');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const r = await build(['-o', `oci:${out}`]);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `error: input '--output': "${out}" holds other files and is not an OCI image layout — give a new or empty directory, or an existing OCI layout\n`,
  );
  expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  const tar = await build(['-o', `docker:${out}`]);
  expect(tar.stderr).toBe(
    `error: input '--output': "${out}" is a directory — give a file name for docker:\n`,
  );
});

it('without --output, says where the image is (the work store, by its full name)', async () => {
  const r = await build(['-t', 'hello:kept']);
  expectSuccess(r);
  const store = join(work, 'store');
  expect(r.stderr).toContain(`no --output or --push given: the image is in the work store ${store}`);
  expect(skopeo(`oci:${store}:docker.io/library/hello:kept`)['Digest']).toBe(r.stdout.trim());
});
