#!/usr/bin/env node
// Runs the benchmarks (scripts/bench/*.ts) on Node 24 with the TypeScript loader used by the tests; the CLI under
// test is the bundle in dist/ (run `npm run package` first when src/ changed). Results go to BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = existsSync(join(root, 'node_modules/.bin/node'))
  ? join(root, 'node_modules/.bin/node')
  : process.execPath;
const r = spawnSync(
  node,
  [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    join(root, '__tests__/helpers/ts-loader.mjs'),
    join(root, 'scripts/bench/main.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
