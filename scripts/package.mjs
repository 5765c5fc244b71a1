#!/usr/bin/env node
/**
 * Builds the bundles in dist/ with @vercel/ncc: dist/cli/index.js (the `image-build` command) and, when their
 * sources exist, dist/main/index.js and dist/post/index.js (the action's entry points). Each bundle is one ES
 * module with its third-party licenses in licenses.txt next to it.
 *
 * The output is byte-for-byte reproducible: `npm run package` twice gives identical files, and CI fails when
 * the committed dist/ differs from a fresh build (check-dist.yml). Run with `--check` to build into a temp
 * directory and compare with dist/ instead of writing (exit 1 when stale). `--head` builds from the committed
 * sources (HEAD, exported to a temp directory with node_modules hard-linked) instead of the working tree, for
 * a shared checkout where others have work in progress; dist/ must match what is committed.
 *
 * ncc picks its TypeScript settings from the tsconfig.json nearest to the entry file. The project's
 * tsconfig.json uses NodeNext, which makes ts-loader emit CommonJS modules inside the bundle; so each entry is
 * a one-line shim in scripts/ncc/.entries/ (generated here, removed afterwards) under scripts/ncc/tsconfig.json,
 * which switches to ESNext modules. Typechecking is `npm run typecheck`'s job (ncc runs transpile-only).
 */
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import ncc from '@vercel/ncc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shimDir = join(root, 'scripts', 'ncc', '.entries');

/** name → source (relative to the repository root); entries whose source is missing are skipped. */
const entries = [
  { name: 'cli', source: 'src/cli/index.ts', executable: true },
  { name: 'main', source: 'src/main.ts', executable: false },
  { name: 'post', source: 'src/post.ts', executable: false },
];

async function main() {
  if (process.argv.includes('--head')) return buildFromHead();
  const check = process.argv.includes('--check');
  process.chdir(root); // ncc names modules relative to the working directory: keep it fixed
  const present = entries.filter((e) => existsSync(join(root, e.source)));
  const outRoot = check ? await mkdtemp(join(tmpdir(), 'image-build-dist-')) : join(root, 'dist');
  try {
    for (const entry of present) await buildEntry(entry, join(outRoot, entry.name), !check);
    if (check) process.exitCode = (await compareTrees(outRoot, join(root, 'dist'), present)) ? 0 : 1;
  } finally {
    await rm(shimDir, { recursive: true, force: true });
    if (check) await rm(outRoot, { recursive: true, force: true });
  }
}

/** Builds dist/ from HEAD's files in a temp directory and copies the result over this checkout's dist/. */
async function buildFromHead() {
  const tmp = await mkdtemp(join(tmpdir(), 'image-build-head-'));
  try {
    execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${tmp}"`], { stdio: 'inherit' });
    execFileSync('cp', ['-al', join(root, 'node_modules'), join(tmp, 'node_modules')]);
    execFileSync(process.execPath, [join(tmp, 'scripts', 'package.mjs')], { cwd: tmp, stdio: 'inherit' });
    for (const { name } of entries) {
      await rm(join(root, 'dist', name), { recursive: true, force: true });
      const built = join(tmp, 'dist', name);
      if (existsSync(built)) await cp(built, join(root, 'dist', name), { recursive: true });
    }
    const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    process.stdout.write(`dist/ built from HEAD (${head})\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function buildEntry(entry, outDir, announce) {
  await mkdir(shimDir, { recursive: true });
  const shim = join(shimDir, `${entry.name}.ts`);
  const target = relative(shimDir, join(root, entry.source)).replace(/\.ts$/, '.js');
  await writeFile(shim, `import '${target}';\n`);
  const { code, assets } = await ncc(shim, {
    cache: false,
    minify: false,
    sourceMap: false,
    sourceMapRegister: false,
    transpileOnly: true,
    license: 'licenses.txt',
    target: 'es2023',
    quiet: true,
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files = new Map([['index.js', normalize(entry.executable ? withShebang(code) : code)]]);
  for (const [name, asset] of Object.entries(assets)) files.set(name, normalize(asset.source));
  for (const [name, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    await chmod(path, name === 'index.js' && entry.executable ? 0o755 : 0o644);
  }
  if (announce) process.stdout.write(`dist/${entry.name}: ${[...files.keys()].sort().join(', ')}\n`);
}

function withShebang(code) {
  return code.startsWith('#!') ? code : `#!/usr/bin/env node\n${code}`;
}

/** Text assets end with exactly one newline and carry no absolute path of this machine. */
function normalize(content) {
  const text = Buffer.isBuffer(content) ? content.toString('utf8') : String(content);
  if (text.includes(root)) throw new Error(`bundle output contains the absolute path ${root}`);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** True when `built` and `committed` hold the same files with the same bytes for the present entries. */
async function compareTrees(built, committed, present) {
  let same = true;
  for (const { name } of present) {
    const want = await listFiles(join(built, name));
    const have = await listFiles(join(committed, name)).catch(() => []);
    for (const f of new Set([...want, ...have])) {
      const a = await readFile(join(built, name, f)).catch(() => undefined);
      const b = await readFile(join(committed, name, f)).catch(() => undefined);
      if (a === undefined || b === undefined || !a.equals(b)) {
        process.stderr.write(`dist/${name}/${f} is stale: run npm run package and commit dist/\n`);
        same = false;
      }
    }
  }
  return same;
}

async function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

await main();
