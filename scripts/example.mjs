#!/usr/bin/env node
/**
 * `npm run example`: the main job. Builds examples/hello into a local OCI image layout with the image-build CLI
 * (dist/cli/index.js), offline:
 *
 * 1. prepares examples/hello/rootfs/ (gitignored): Debian's static busybox with its applets linked under /bin,
 *    and a minimal /etc/passwd and /etc/group, so the Dockerfile's `FROM scratch` + `COPY rootfs/ /` base
 *    needs no registry;
 * 2. runs `image-build build examples/hello -t hello:dev --output oci:.image-build/hello-oci` (.image-build/ is
 *    gitignored);
 * 3. prints where the image is and how to look at it.
 *
 * Extra arguments are passed to `image-build build` (e.g. `npm run example -- --progress plain --no-cache`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'hello');
const outDir = join(root, '.image-build');
const busybox = '/bin/busybox';

function prepareRootfs() {
  if (
    !existsSync(busybox) ||
    !/statically linked|static-pie/.test(execFileSync('file', ['-b', busybox]).toString())
  )
    fail(`${busybox} is missing or not static: install Debian's busybox-static (bash scripts/setup.sh does)`);
  const rootfs = join(example, 'rootfs');
  const stamp = join(rootfs, '.busybox-size');
  const size = String(statSync(busybox).size);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === size) return;
  rmSync(rootfs, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'tmp', 'root', 'app']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  chmodSync(join(rootfs, 'root'), 0o700);
  copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(rootfs, 'bin', a));
  writeFileSync(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  );
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(stamp, size);
  console.log(`prepared ${relative(root, rootfs)}/ (busybox with ${applets.length} applets)`);
}

function fail(message) {
  console.error(`example: ${message}`);
  process.exit(1);
}

prepareRootfs();
mkdirSync(outDir, { recursive: true });
const layout = join(outDir, 'hello-oci');
const args = [
  'build',
  relative(root, example),
  '-t',
  'hello:dev',
  '--output',
  `oci:${relative(root, layout)}`,
];
const cli = join(root, 'dist', 'cli', 'index.js');
console.log(`$ image-build ${args.join(' ')}`);
const run = spawnSync(process.execPath, [cli, ...args, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(`
The image is in the OCI layout ${relative(root, layout)}/ as "dev". Look at it with:
  skopeo inspect oci:${relative(root, layout)}:dev
  skopeo copy oci:${relative(root, layout)}:dev docker-archive:hello.tar:hello:dev   # then: docker load -i hello.tar
  umoci unpack --image ${relative(root, layout)}:dev /tmp/hello-bundle && cat /tmp/hello-bundle/rootfs/app/hello.sh`);
