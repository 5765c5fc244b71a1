/**
 * The action's bundles, as the runner runs them: dist/main/index.js and dist/post/index.js. When the
 * repository's packaging script exists it brings dist/ up to date first (under a lock: several test files
 * start at once); otherwise the bundles are built with ncc into a temp directory from the shims in ../bundle.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface ActionBundles {
  readonly main: string;
  readonly post: string;
  cleanup(): Promise<void>;
}

export async function actionBundles(): Promise<ActionBundles> {
  if (existsSync(join(repoRoot, 'scripts', 'package.mjs'))) {
    await withLock(join(tmpdir(), 'image-build-e2e-package.lock'), refreshDist);
    const dist = join(repoRoot, 'dist');
    if (existsSync(join(dist, 'main', 'index.js')) && existsSync(join(dist, 'post', 'index.js'))) {
      return {
        main: join(dist, 'main', 'index.js'),
        post: join(dist, 'post', 'index.js'),
        cleanup: async () => {},
      };
    }
  }
  return ownBundles();
}

/** `npm run package` unless `--check` says dist/ is current already. */
async function refreshDist(): Promise<void> {
  const script = join(repoRoot, 'scripts', 'package.mjs');
  try {
    await run(process.execPath, [script, '--check'], { cwd: repoRoot });
  } catch {
    await run(process.execPath, [script], { cwd: repoRoot, maxBuffer: 16 << 20 });
  }
}

async function ownBundles(): Promise<ActionBundles> {
  const out = await mkdtemp(join(tmpdir(), 'ib-e2e-dist-'));
  // ncc runs in its own process: webpack inside jest's module sandbox is not what the packaging does.
  const script = `
    import ncc from '@vercel/ncc';
    import { mkdirSync, writeFileSync } from 'node:fs';
    for (const name of ['main', 'post']) {
      const { code } = await ncc(process.argv[1] + '/' + name + '.ts', { cache: false, transpileOnly: true, target: 'es2023', quiet: true });
      mkdirSync(process.argv[2] + '/' + name);
      writeFileSync(process.argv[2] + '/' + name + '/index.js', code);
      writeFileSync(process.argv[2] + '/' + name + '/package.json', '{ "type": "module" }\\n');
    }`;
  await run(
    process.execPath,
    ['--input-type=module', '-e', script, join(repoRoot, '__tests__', 'e2e', 'bundle'), out],
    {
      cwd: repoRoot,
      maxBuffer: 16 << 20,
    },
  );
  return {
    main: join(out, 'main', 'index.js'),
    post: join(out, 'post', 'index.js'),
    cleanup: () => rm(out, { recursive: true, force: true }),
  };
}

/** A directory lock: mkdir is atomic; a lock older than 5 minutes is from a killed run. */
async function withLock(path: string, fn: () => Promise<void>): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await mkdir(path);
      break;
    } catch {
      if (Date.now() - started > 300_000) await rmdir(path).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await fn();
  } finally {
    await rmdir(path).catch(() => undefined);
  }
}
