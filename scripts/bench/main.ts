/** `npm run bench [scenario…] [--runs N]`: scenarios build, push, cache (default: all). */
import { buildBenchmark } from './build.js';
import { cacheBenchmark } from './cache.js';
import { pushBenchmark } from './push.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const scenarios = args.filter((a, i) => !a.startsWith('--') && i !== runsAt + 1);
const all = scenarios.length === 0;

if (all || scenarios.includes('push')) await pushBenchmark(runs);
if (all || scenarios.includes('build')) await buildBenchmark(runs);
if (all || scenarios.includes('cache')) await cacheBenchmark(runs);
