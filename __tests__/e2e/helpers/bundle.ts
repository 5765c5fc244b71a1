/**
 * The action's bundles, as the runner runs them: dist/main/index.js and dist/post/index.js. When the
 * repository's packaging script exists it rebuilds dist/ first if a source is newer than the bundles (under a
 * lock: several test files start at once); without it the bundles are built with ncc into a temp directory
 * from the shims in ../bundle.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isProcessAlive } from '../../../src/store/temp-files.js';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface ActionBundles {
  readonly main: string;
  readonly post: string;
  cleanup(): Promise<void>;
}

export async function actionBundles(): Promise<ActionBundles> {
  const dist = join(repoRoot, 'dist');
  const main = join(dist, 'main', 'index.js');
  const post = join(dist, 'post', 'index.js');
  if (existsSync(join(repoRoot, 'scripts', 'package.mjs'))) {
    // Several test files (and other suites) start at once: one packages, the others wait and find it fresh.
    await withLock(join(tmpdir(), 'image-build-e2e-package.lock'), async () => {
      if (await isStale([main, post]))
        await run(process.execPath, [join(repoRoot, 'scripts', 'package.mjs')], {
          cwd: repoRoot,
          maxBuffer: 16 << 20,
        });
    });
    if (existsSync(main) && existsSync(post)) return { main, post, cleanup: async () => {} };
  }
  return ownBundles();
}

/** A bundle is stale when it is missing or older than any source file or the lock file. */
async function isStale(bundles: readonly string[]): Promise<boolean> {
  const built = await Promise.all(
    bundles.map((b) =>
      stat(b)
        .then((s) => s.mtimeMs)
        .catch(() => 0),
    ),
  );
  const oldest = Math.min(...built);
  if (oldest === 0) return true;
  const sources = [join(repoRoot, 'package-lock.json'), ...(await listFiles(join(repoRoot, 'src')))];
  for (const file of sources) if ((await stat(file)).mtimeMs > oldest) return true;
  return false;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name))));
    else out.push(join(dir, e.name));
  }
  return out;
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

/**
 * A directory lock: mkdir is atomic. It holds its owner's pid; a lock whose owner is gone (a killed run), or
 * older than 10 minutes, is broken.
 */
async function withLock(path: string, fn: () => Promise<void>): Promise<void> {
  const owner = join(path, 'pid');
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(owner, String(process.pid));
      break;
    } catch {
      const age = await stat(path)
        .then((s) => Date.now() - s.mtimeMs)
        .catch(() => 0);
      const pid = Number(await readFile(owner, 'utf8').catch(() => ''));
      const gone = pid > 0 && !isProcessAlive(pid);
      if (gone || age > 600_000) await rm(path, { recursive: true, force: true }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await fn();
  } finally {
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}
