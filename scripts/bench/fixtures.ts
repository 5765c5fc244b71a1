/**
 * Benchmark inputs: a Debian base image (debootstrap --variant=minbase, from Debian's archive) pushed to a
 * loopback registry, and a realistic multi-stage project with a few thousand context files and RUN steps that
 * write ~50 MB.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { silentLogger } from '../../src/log.js';
import { ImageDraft } from '../../src/oci/image-draft.js';
import { writeLayer } from '../../src/oci/layer-writer.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { pushImage } from '../../src/push/index.js';
import { RegistryClient } from '../../src/registry/client.js';
import { parseReference } from '../../src/registry/reference.js';
import { openStore } from '../../src/store/index.js';
import { run } from './measure.js';

export const benchRoot = process.env['IMAGE_BUILD_BENCH_DIR'] ?? '/var/tmp/ib-bench';

/** A minimal Debian bookworm root filesystem, made once and reused by later benchmark runs. */
export async function debianRootfs(): Promise<string> {
  const dir = join(benchRoot, 'rootfs');
  if (existsSync(join(dir, 'etc', 'debian_version'))) return dir;
  mkdirSync(benchRoot, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  await run(['debootstrap', '--variant=minbase', 'bookworm', dir, 'http://deb.debian.org/debian']);
  return dir;
}

/** Pushes the rootfs as a one-layer image `<registry>/bench/debian:bookworm`; returns the reference. */
export async function pushBaseImage(
  registry: string,
  rootfs: string,
  name = 'bench/debian:bookworm',
): Promise<string> {
  const storeDir = join(benchRoot, 'base-store');
  rmSync(storeDir, { recursive: true, force: true });
  const store = await openStore(storeDir);
  const tar = spawn(
    'tar',
    ['--create', '--file=-', '--directory', rootfs, '--numeric-owner', '--xattrs', '--sort=name', '.'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const layer = await writeLayer(tar.stdout, await store.ingest(), { compression: 'gzip' });
  const image = await ImageDraft.scratch(hostPlatform(), 'oci')
    .withLayer(
      {
        diffId: layer.diffId,
        descriptor: { mediaType: layer.mediaType, digest: layer.digest, size: layer.size },
      },
      { created_by: 'debootstrap --variant=minbase bookworm' },
    )
    .withConfig({ Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['bash'] })
    .write(store);
  const ref = `${registry}/${name}`;
  const client = new RegistryClient({ registry, logger: silentLogger });
  await pushImage({
    client,
    store,
    source: image.descriptor,
    targets: [parseReference(ref)],
    logger: silentLogger,
  });
  client.close();
  return ref;
}

/** Deterministic text for a generated source file. */
function sourceText(i: number): string {
  const seed = createHash('sha256').update(`file-${i}`).digest('hex');
  return `// generated file ${i}\n${`export const v${i} = '${seed}';\n`.repeat(8 + (i % 40))}`;
}

/** The project: 3,000 source files in 60 directories, a dependencies stage and a build stage. */
export function writeProject(dir: string, baseRef: string): { changeOneFile: (n: number) => void } {
  rmSync(dir, { recursive: true, force: true });
  for (let d = 0; d < 60; d++) mkdirSync(join(dir, 'src', `pkg-${d}`), { recursive: true });
  for (let i = 0; i < 3000; i++)
    writeFileSync(join(dir, 'src', `pkg-${i % 60}`, `mod-${i}.ts`), sourceText(i));
  mkdirSync(join(dir, 'deps'), { recursive: true });
  writeFileSync(
    join(dir, 'deps', 'lockfile.json'),
    JSON.stringify({ deps: Array.from({ length: 200 }, (_, i) => `dep-${i}@1.0.${i}`) }, null, 2),
  );
  writeFileSync(join(dir, '.dockerignore'), '*.log\n.git\n');
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      `FROM ${baseRef} AS deps`,
      'WORKDIR /app',
      'COPY deps/ /app/deps/',
      '# ~50 MB of "installed dependencies"',
      'RUN mkdir -p /app/vendor && for i in $(seq 1 50); do head -c 1048576 /dev/urandom > /app/vendor/blob-$i.bin; done',
      '',
      'FROM deps AS build',
      'COPY src/ /app/src/',
      'RUN mkdir -p /app/dist && cd /app/src && find . -type f | sort | xargs cat | gzip -1 > /app/dist/bundle.gz && find . -type f | sort > /app/dist/manifest.txt',
      '',
      `FROM ${baseRef}`,
      'COPY --from=deps /app/vendor /app/vendor',
      'COPY --from=build /app/dist /app/dist',
      'WORKDIR /app',
      'CMD ["ls", "-l", "/app/dist"]',
      '',
    ].join('\n'),
  );
  return {
    changeOneFile: (n) =>
      writeFileSync(join(dir, 'src', 'pkg-7', 'mod-7.ts'), `${sourceText(7)}// change ${n}\n`),
  };
}
