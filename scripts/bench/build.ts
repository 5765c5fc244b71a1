/**
 * Issue 3 benchmark: the multi-stage project built cold, warm (no change) and after a one-file change by
 * image-build, buildah and BuildKit (dockerd's), in the same run; plus image-build's peak RSS building a 1 GB image.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRegistry } from '../../__tests__/helpers/registry.js';
import { dockerCli, dockerAvailable } from './docker.js';
import { benchRoot, debianRootfs, pushBaseImage, writeProject } from './fixtures.js';
import { run, sampleMedian, type Command } from './measure.js';
import { machine, ratio, secs, table, version, writeSection } from './report.js';

interface Builder {
  readonly name: string;
  reset(): Promise<void>;
  build(ctx: string): Command;
}

const cli = resolve('dist/cli/index.js');

function imageBuild(): Builder {
  const work = join(benchRoot, 'ib-work');
  return {
    name: 'image-build',
    reset: async () => rmSync(work, { recursive: true, force: true }),
    build: (ctx) => ({
      argv: [
        process.execPath,
        cli,
        'build',
        ctx,
        '-t',
        'bench:latest',
        '--work-dir',
        work,
        '--progress',
        'plain',
      ],
    }),
  };
}

function buildah(): Builder {
  const root = join(benchRoot, 'buildah');
  return {
    name: 'buildah (overlay, chroot isolation)',
    reset: async () => {
      await run([
        'sh',
        '-c',
        `buildah --root ${root}/root --runroot ${root}/run rmi -af >/dev/null 2>&1; umount -R ${root}/root/overlay/*/merged 2>/dev/null; rm -rf ${root}`,
      ]).catch(() => undefined);
    },
    build: (ctx) => ({
      argv: [
        'buildah',
        '--root',
        `${root}/root`,
        '--runroot',
        `${root}/run`,
        '--storage-driver',
        'overlay',
        'bud',
        '--layers',
        '--tls-verify=false',
        '--network',
        'host',
        '-t',
        'bench:latest',
        ctx,
      ],
      env: { BUILDAH_ISOLATION: 'chroot' },
    }),
  };
}

function buildkit(): Builder {
  return {
    name: 'BuildKit (dockerd 20.10, docker build)',
    reset: async () => {
      await run([
        'sh',
        '-c',
        `${dockerCli} builder prune -af >/dev/null; ${dockerCli} image rm -f $(${dockerCli} image ls -q) >/dev/null 2>&1; true`,
      ]);
    },
    build: (ctx) => ({
      argv: [dockerCli, 'build', '--network', 'host', '-q', '-t', 'bench:latest', ctx],
      env: { DOCKER_BUILDKIT: '1' },
    }),
  };
}

export async function buildBenchmark(runs: number): Promise<void> {
  const reg = await startRegistry({ auth: 'none' });
  try {
    const rootfs = await debianRootfs();
    const base = await pushBaseImage(reg.host, rootfs);
    const ctx = join(benchRoot, 'project');
    const project = writeProject(ctx, base);
    const builders = [imageBuild(), buildah()];
    if (await dockerAvailable()) builders.push(buildkit());
    else
      console.log(
        'docker is not running: start it with `dockerd --bridge=none --iptables=false &` to include BuildKit',
      );
    const results = new Map<string, { cold: number; warm: number; change: number }>();
    let counter = 0;
    for (const b of builders) {
      console.log(`${b.name}: cold`);
      const cold = await sampleMedian(
        runs,
        () => b.build(ctx),
        () => b.reset(),
      );
      console.log(`${b.name}: warm`);
      await run(b.build(ctx).argv, b.build(ctx));
      const warm = await sampleMedian(runs, () => b.build(ctx));
      console.log(`${b.name}: one-file change`);
      const change = await sampleMedian(
        runs,
        () => b.build(ctx),
        async () => project.changeOneFile(++counter),
      );
      results.set(b.name, { cold: cold.wall, warm: warm.wall, change: change.wall });
      console.log(b.name, cold.walls, warm.walls, change.walls);
    }
    const ours = results.get('image-build')!;
    const bk = [...results.entries()].find(([n]) => n.startsWith('BuildKit'))?.[1];
    const bh = [...results.entries()].find(([n]) => n.startsWith('buildah'))?.[1];
    const rows = [...results.entries()].map(([name, r]) => [
      name,
      secs(r.cold),
      secs(r.warm),
      secs(r.change),
    ]);
    const ratios = [
      [
        'image-build ÷ BuildKit',
        bk ? ratio(ours.cold, bk.cold) : 'n/a',
        bk ? ratio(ours.warm, bk.warm) : 'n/a',
        bk ? ratio(ours.change, bk.change) : 'n/a',
      ],
      [
        'image-build ÷ buildah',
        bh ? ratio(ours.cold, bh.cold) : 'n/a',
        bh ? ratio(ours.warm, bh.warm) : 'n/a',
        bh ? ratio(ours.change, bh.change) : 'n/a',
      ],
    ];
    const rss = await peakRss(reg.host, base);
    writeSection(
      'build',
      [
        '## Build: cold, warm, one-file change (issue 3)',
        '',
        `Run ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
        `Tools: ${version(['buildah', '--version'])}; ${version([dockerCli, 'version', '--format', 'BuildKit in dockerd {{.Server.Version}}'])}.`,
        `Project: Debian bookworm minbase base (debootstrap, ${Math.round(await dirMb(rootfs))} MB) served from a loopback registry; 3,000 context files; RUN steps writing ~50 MB; three stages. Median of ${runs} runs each. Cold = empty caches (base pulled again); warm = nothing changed; change = one source file edited.`,
        '',
        table(['builder', 'cold', 'warm (no change)', 'one-file change'], [...rows, ...ratios]),
        '',
        `Targets: cold ≤ 1.0× BuildKit, one-file change ≤ 1.0× BuildKit, warm ≤ 1.5× BuildKit; every figure ≤ 0.5× buildah.`,
        '',
        `Peak RSS of image-build building a 1 GB image (one RUN writing 1 GiB of random data, gzip): **${rss.maxRssMb.toFixed(0)} MB** (target < 300 MB), wall ${secs(rss.wall)}.`,
      ].join('\n'),
    );
  } finally {
    await reg.stop();
  }
}

async function peakRss(registry: string, base: string): Promise<{ wall: number; maxRssMb: number }> {
  const ctx = join(benchRoot, 'big');
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${base}\nRUN head -c 1073741824 /dev/urandom > /big.bin\n`);
  const work = join(benchRoot, 'ib-big');
  rmSync(work, { recursive: true, force: true });
  void registry;
  const r = await sampleMedian(1, () => ({
    argv: [
      process.execPath,
      cli,
      'build',
      ctx,
      '-t',
      'big:latest',
      '--work-dir',
      work,
      '--progress',
      'plain',
    ],
  }));
  rmSync(work, { recursive: true, force: true });
  return r;
}

async function dirMb(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const out = await run(['du', '-sm', dir]);
  return Number(out.split('\t')[0]);
}
