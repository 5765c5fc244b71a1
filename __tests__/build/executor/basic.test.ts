import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../../../src/build/executor.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { validateImage } from '../../../src/oci/validate.js';
import { writeBusyboxRootfs } from '../../helpers/busybox-rootfs.js';
import { makeBuildHost, type TestBuildHost } from '../../helpers/build-host.js';
import { buildRequest } from '../../helpers/build-request.js';

let t: TestBuildHost;
let ctxDir: string;

beforeAll(async () => {
  t = await makeBuildHost();
  ctxDir = mkdtempSync(join(tmpdir(), 'ib-ctx-'));
  writeBusyboxRootfs(join(ctxDir, 'rootfs'));
  writeFileSync(join(ctxDir, 'file.txt'), 'from the context\n');
});
afterAll(() => {
  t.cleanup();
  rmSync(ctxDir, { recursive: true, force: true });
});

async function build(dockerfile: string, over: Partial<BuildRequest> = {}, host = t.host) {
  writeFileSync(join(ctxDir, 'Dockerfile'), dockerfile);
  return buildImage(await buildRequest(ctxDir, dockerfile, over), host);
}

describe('buildImage', () => {
  it('builds FROM scratch + COPY + RUN + WORKDIR + config into a valid image umoci can unpack', async () => {
    const df = [
      'FROM scratch',
      'COPY rootfs/ /',
      'RUN echo hello > /hello && mkdir -p /data',
      'WORKDIR /app',
      'COPY file.txt .',
      'ENV A=b',
      'CMD ["sh"]',
    ].join('\n');
    const r = await build(df);
    expect(await validateImage(t.host.store, r.image.descriptor)).toEqual([]);
    expect(r.steps.map((s) => s.status)).toEqual([
      'config',
      'built',
      'built',
      'built',
      'built',
      'config',
      'config',
    ]);
    const cfg = r.image.config.config!;
    expect(cfg.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=b']);
    expect(cfg.Cmd).toEqual(['sh']);
    expect(cfg.WorkingDir).toBe('/app');
    const dir = mkdtempSync(join(tmpdir(), 'ib-umoci-'));
    try {
      await t.host.store.tag('test:basic', r.image.descriptor);
      execFileSync('umoci', ['unpack', '--image', `${t.host.store.root}:test:basic`, join(dir, 'bundle')]);
      const rootfs = join(dir, 'bundle', 'rootfs');
      expect(readFileSync(join(rootfs, 'hello'), 'utf8')).toBe('hello\n');
      expect(readFileSync(join(rootfs, 'app/file.txt'), 'utf8')).toBe('from the context\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // a second build reuses every step and runs nothing; the layers are the same blobs
    const again = await build(df);
    expect(again.steps.filter((s) => s.status === 'built')).toEqual([]);
    expect(again.image.manifest.layers).toEqual(r.image.manifest.layers);
  });

  it('gives the same digest for two builds of the same inputs with SOURCE_DATE_EPOCH, cache or not', async () => {
    const df = [
      'FROM scratch',
      'COPY rootfs/ /',
      'RUN echo repro > /r && touch /later',
      'COPY file.txt /x/',
    ].join('\n');
    const a = await build(df, { sourceDateEpoch: 1_700_000_000 });
    const b = await build(df, { sourceDateEpoch: 1_700_000_000, noCache: true });
    expect(b.steps.filter((s) => s.status === 'built').length).toBe(3);
    expect(b.image.manifest.layers.map((l) => l.digest)).toEqual(
      a.image.manifest.layers.map((l) => l.digest),
    );
    expect(b.image.config.history).toEqual(a.image.config.history);
    expect(b.image.descriptor.digest).toBe(a.image.descriptor.digest);
    expect(a.image.config.created).toBe('2023-11-14T22:13:20.000Z');
  });

  it('builds a step shared by two stages once, and reports every layer as a stored blob', async () => {
    const df = [
      'FROM scratch AS a',
      'COPY rootfs/ /',
      'RUN head -c 300000 /dev/urandom > /noise && od -An -tu4 -N8 /noise | tr -d " \\n" > /t && echo >> /t',
      'FROM scratch AS b',
      'COPY rootfs/ /',
      'RUN head -c 300000 /dev/urandom > /noise && od -An -tu4 -N8 /noise | tr -d " \\n" > /t && echo >> /t',
      'FROM scratch',
      'COPY --from=a /t /a',
      'COPY --from=b /t /b',
    ].join('\n');
    const r = await build(df);
    // stage b's steps are stage a's: taken from this build, not run again
    const byStage = (label: string) => r.steps.filter((s) => s.stage === label && s.layer);
    // (the COPY may already be cached by an earlier test on this host; the RUN is new)
    expect(byStage('a').map((s) => s.status)[1]).toBe('built');
    expect(byStage('b').map((s) => s.status)).toEqual(['cached', 'cached']);
    expect(byStage('b').map((s) => s.layer!.digest)).toEqual(byStage('a').map((s) => s.layer!.digest));
    // every reported layer is a stored, compressed blob
    for (const s of r.steps.filter((st) => st.layer)) {
      expect(s.layer!.digest).not.toBe(s.layer!.diffId);
      expect(s.layer!.size).toBeGreaterThan(0);
      expect(await t.host.store.has(s.layer!.digest)).toBe(true);
    }
    const final = r.steps.filter((s) => s.stage === 'stage-2' && s.layer).map((s) => s.layer!.digest);
    expect(r.image.manifest.layers.map((l) => l.digest)).toEqual(final);
    await validateImage(t.host.store, r.image.descriptor);
    const out = mkdtempSync(join(tmpdir(), 'ib-umoci-'));
    try {
      await t.host.store.tag('test:shared', r.image.descriptor);
      execFileSync('umoci', ['unpack', '--image', `${t.host.store.root}:test:shared`, join(out, 'bundle')]);
      const a = readFileSync(join(out, 'bundle/rootfs/a'), 'utf8');
      expect(a).toMatch(/^\d{8,}\n$/);
      expect(readFileSync(join(out, 'bundle/rootfs/b'), 'utf8')).toBe(a);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // the steps were recorded once their blobs were stored: a second build reuses them from the step cache
    const again = await build(df);
    expect(again.steps.filter((s) => s.status === 'built')).toEqual([]);
    expect(again.image.descriptor.digest).toBe(r.image.descriptor.digest);
  });

  it('removes a secret file from the disk as soon as its RUN ends, while the build goes on', async () => {
    const value = `secret-${Date.now()}-value`;
    const df = [
      'FROM scratch',
      'COPY rootfs/ /',
      'RUN --mount=type=secret,id=token test -s /run/secrets/token && echo used > /used',
      'RUN echo later-step-running && sleep 0.2',
    ].join('\n');
    const onDisk: string[] = [];
    const find = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory() && !e.isSymbolicLink()) find(path);
        else if (e.isFile() && readFileSync(path).includes(value)) onDisk.push(path);
      }
    };
    let looked = false;
    const r = await build(
      df,
      { secrets: new Map([['token', { kind: 'value', value }]]), noCache: true },
      {
        ...t.host,
        onStep: (e) => {
          if (e.kind === 'output' && e.text.includes('later-step-running') && !looked) {
            looked = true;
            find(join(t.host.workRoot, 'tmp'));
          }
        },
      },
    );
    expect(r.steps.filter((st) => st.status === 'built')).toHaveLength(3);
    expect(looked).toBe(true);
    expect(onDisk).toEqual([]);
  });

  it('fails the build, with nothing left behind and no unhandled rejection, when a layer cannot be stored', async () => {
    const broken = await makeBuildHost();
    const store = broken.host.store;
    const failing = new Proxy(store, {
      get(target, prop) {
        if (prop === 'ingest') return () => Promise.reject(new Error('no space left on device (test)'));
        const v: unknown = Reflect.get(target, prop);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const df = 'FROM scratch\nCOPY rootfs/ /\nRUN echo x > /x\n';
      await expect(build(df, {}, { ...broken.host, store: failing })).rejects.toThrow(
        /no space left on device \(test\)/,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      expect(readdirSync(join(broken.host.workRoot, 'tmp'))).toEqual([]);
      // nothing was recorded for a step whose layer never reached the store
      const retry = await build(df, {}, broken.host);
      expect(retry.steps.filter((s) => s.layer).map((s) => s.status)).toEqual(['built', 'built']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      broken.cleanup();
    }
  });
});
