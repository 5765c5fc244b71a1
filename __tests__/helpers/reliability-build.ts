/**
 * Real builds of hostile inputs for the reliability suite: a busybox context per case, one shared work root (so
 * the `COPY rootfs/ /` step is built once), the real builder, and a look into the resulting layers.
 *
 *   const b = await HostileBuilds.start();
 *   const ctx = b.context('adds-archive', { 'evil.tar': hostileTar([...]) });
 *   const outcome = await b.build(ctx, 'FROM scratch\nCOPY rootfs/ /\nADD evil.tar /x/\n');
 *   outcome.kind === 'built' ? await b.layerEntries(outcome.result) : outcome.error
 *   b.cleanup();
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildImage } from '../../src/build/executor.js';
import type { BuildRequest, BuildResult, SecretSource } from '../../src/build/types.js';
import { writeBusyboxRootfs } from './busybox-rootfs.js';
import { makeBuildHost, type TestBuildHost } from './build-host.js';
import { buildRequest } from './build-request.js';

export type BuildOutcome =
  | { readonly kind: 'built'; readonly result: BuildResult }
  | { readonly kind: 'failed'; readonly error: unknown };

/** A context file: content, or a symlink to a target. */
export type ContextFile = string | Buffer | { readonly symlink: string };

/**
 * The host's perl (perl-base is on every Debian/Ubuntu machine) and the libraries it links, for RUN steps that
 * need system calls busybox has no applet for (chroot without chdir).
 */
export function copyHostPerl(rootfs: string): void {
  const libs = execFileSync('ldd', ['/usr/bin/perl'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined);
  for (const file of ['/usr/bin/perl', ...libs]) {
    mkdirSync(dirname(join(rootfs, file)), { recursive: true });
    copyFileSync(file, join(rootfs, file));
    chmodSync(join(rootfs, file), 0o755);
  }
}

export class HostileBuilds {
  private constructor(
    readonly t: TestBuildHost,
    private readonly root: string,
    /** Every RUN's output so far (the steps' `output` events). */
    readonly output: string[],
  ) {}

  static async start(): Promise<HostileBuilds> {
    const output: string[] = [];
    const t = await makeBuildHost({ onStep: (e) => void (e.kind === 'output' && output.push(e.text)) });
    return new HostileBuilds(t, t.root, output);
  }

  /** A context directory `<name>/` with `rootfs/` (busybox, and the host's perl with `perl: true`) and the given files. */
  context(
    name: string,
    files: Readonly<Record<string, ContextFile>> = {},
    options: { perl?: boolean } = {},
  ): string {
    const dir = join(this.root, 'contexts', name);
    writeBusyboxRootfs(join(dir, 'rootfs'));
    if (options.perl) copyHostPerl(join(dir, 'rootfs'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      if (typeof content === 'object' && 'symlink' in content) symlinkSync(content.symlink, join(dir, path));
      else writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  async build(
    contextDir: string,
    dockerfile: string,
    over: Partial<BuildRequest> & { readonly secrets?: ReadonlyMap<string, SecretSource> } = {},
  ): Promise<BuildOutcome> {
    try {
      const result = await buildImage(
        await buildRequest(contextDir, dockerfile, { sourceDateEpoch: 1_700_000_000, ...over }),
        this.t.host,
      );
      return { kind: 'built', result };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /** The uncompressed tar of each layer of the image, bottom first. */
  async layerTars(result: BuildResult): Promise<Buffer[]> {
    const out: Buffer[] = [];
    for (const layer of result.image.manifest.layers) {
      if (!(await this.t.host.store.has(layer.digest))) await result.fetchMissing(layer);
      out.push(gunzipSync(await this.t.host.store.read(layer.digest)));
    }
    return out;
  }

  /** `tar -tv` lines of the top layer (GNU tar, an independent reader). */
  async topLayerListing(result: BuildResult): Promise<string[]> {
    const tars = await this.layerTars(result);
    return execFileSync('tar', ['-tv', '--numeric-owner', '-f', '-'], {
      input: tars.at(-1)!,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
  }

  /** The image config (JSON) of a build. */
  async config(result: BuildResult): Promise<Record<string, unknown>> {
    const bytes = await this.t.host.store.read(result.image.manifest.config.digest);
    return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  }

  cleanup(): void {
    this.t.cleanup();
  }
}
