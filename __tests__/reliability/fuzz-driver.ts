/**
 * Runs Dockerfile inputs through the front end in a process of its own, so that a hang or runaway memory shows
 * as a stalled or dead child instead of freezing jest (a synchronous loop cannot be interrupted in-process):
 *
 *   fuzz-driver.ts mutate <seed> <count>    seeded mutations of the corpus
 *   fuzz-driver.ts files <path>…            the given files, in order
 *
 * Prints `start <i>` before each input (the parent's watchdog names the input that stalled), `result <json>`
 * for each file, `crash <json>` for a mutated input whose failure is not a DockerfileError, and a final
 * `done <json>` with the outcome counts and peak heap.
 */
import { readFileSync } from 'node:fs';
import { corpusFiles, mutate, seededRandom, walkFrontEnd } from '../helpers/reliability-fuzz.js';

const [mode, ...args] = process.argv.slice(2);
const counts = { ok: 0, dockerfileError: 0, crash: 0 };
let peakHeap = 0;
const print = (line: string): void => void process.stdout.write(`${line}\n`);

function runMutations(seed: number, count: number): void {
  const files = corpusFiles();
  const rng = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const base = files[Math.floor(rng() * files.length)]!;
    const input = mutate(base.bytes, rng, files);
    print(`start ${i}`);
    const outcome = walkFrontEnd(input);
    if (outcome.kind === 'ok') counts.ok++;
    else if (outcome.kind === 'dockerfile-error') counts.dockerfileError++;
    else {
      counts.crash++;
      const sample = input.subarray(0, 400).toString('latin1');
      print(`crash ${JSON.stringify({ seed, index: i, base: base.name, ...outcome, sample })}`);
    }
    if (i % 100 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
}

function runFiles(paths: readonly string[]): void {
  paths.forEach((path, i) => {
    print(`start ${i}`);
    const outcome = walkFrontEnd(readFileSync(path));
    counts[outcome.kind === 'dockerfile-error' ? 'dockerfileError' : outcome.kind]++;
    print(`result ${JSON.stringify(outcome)}`);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  });
}

if (mode === 'mutate') runMutations(Number(args[0]), Number(args[1]));
else runFiles(args);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
print(`done ${JSON.stringify({ ...counts, peakHeapMiB: Math.round(peakHeap / 2 ** 20) })}`);
