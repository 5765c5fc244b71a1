/**
 * Real builds with a cross-run cache, each on a fresh "machine" (new work root and store), as CI runners are:
 * the only thing carried from one build to the next is the cache backend.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../../src/build/executor.js';
import { rootPrivilege } from '../../src/build/rootfs/privilege.js';
import type { BuildRequest, BuildResult } from '../../src/build/types.js';
import { openCache, type CacheOptions, type CacheReport, type CrossRunCache } from '../../src/cache/index.js';
import type { Clock } from '../../src/log.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { writeBusyboxRootfs } from '../helpers/busybox-rootfs.js';
import { makeBuildHost, type TestBuildHost } from '../helpers/build-host.js';
import { buildRequest } from '../helpers/build-request.js';

/** A clock that moves forward 1 ms per reading, and further on request. */
export class TestClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): Date {
    return new Date((this.t += 1));
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface CacheRun {
  readonly result: BuildResult;
  readonly report: CacheReport;
  readonly cache: CrossRunCache;
  readonly t: TestBuildHost;
}

export class CacheBench {
  readonly ctx = mkdtempSync(join(tmpdir(), 'ib-cache-ctx-'));
  readonly clock = new TestClock();
  private readonly hosts: TestBuildHost[] = [];
  private run = 0;

  constructor() {
    writeBusyboxRootfs(join(this.ctx, 'rootfs'));
  }

  write(name: string, content: string | Buffer): void {
    writeFileSync(join(this.ctx, name), content);
  }

  /**
   * A fresh machine (cleaned at the end). `workRoot`: a fixed work root path, emptied first — as on hosted
   * runners, where it is the same path on every run (the gha backend's entry versions depend on it).
   */
  async machine(workRoot?: string): Promise<TestBuildHost> {
    if (workRoot !== undefined) rmSync(workRoot, { recursive: true, force: true });
    const t = await makeBuildHost({ clock: this.clock, ...(workRoot !== undefined ? { workRoot } : {}) });
    this.hosts.push(t);
    return t;
  }

  async open(
    t: TestBuildHost,
    over: Partial<CacheOptions> & Pick<CacheOptions, 'backend'>,
  ): Promise<CrossRunCache> {
    this.run++;
    return openCache({
      scope: {
        ref: 'refs/heads/main',
        defaultRef: 'refs/heads/main',
        platform: hostPlatform(),
        dockerfile: 'Dockerfile',
      },
      run: { id: String(this.run).padStart(4, '0'), attempt: 1 },
      store: t.host.store,
      workRoot: t.host.workRoot,
      privilege: rootPrivilege,
      hostEnv: t.host.hostEnv,
      logger: t.logger,
      clock: this.clock,
      ...over,
    });
  }

  async build(t: TestBuildHost, dockerfile: string, cache?: CrossRunCache, over: Partial<BuildRequest> = {}) {
    this.write('Dockerfile', dockerfile);
    return buildImage(await buildRequest(this.ctx, dockerfile, over), {
      ...t.host,
      ...(cache ? { cache } : {}),
    });
  }

  /** open → build on a fresh machine → save: one CI run. */
  async ciRun(
    dockerfile: string,
    over: Partial<CacheOptions> & Pick<CacheOptions, 'backend'>,
    request: Partial<BuildRequest> = {},
    workRoot?: string,
  ): Promise<CacheRun> {
    const t = await this.machine(workRoot);
    const cache = await this.open(t, over);
    const result = await this.build(t, dockerfile, cache, request);
    cache.noteBuild(result);
    const report = await cache.save();
    return { result, report, cache, t };
  }

  cleanup(): void {
    for (const h of this.hosts) h.cleanup();
    rmSync(this.ctx, { recursive: true, force: true });
  }
}

export function built(r: BuildResult): string[] {
  return r.steps.filter((s) => s.status === 'built').map((s) => s.instruction);
}
