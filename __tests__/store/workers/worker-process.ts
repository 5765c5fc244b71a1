import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts store-worker.ts in a separate Node process (the Node running jest) with a JSON job. */
export function startStoreWorker(job: object): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      join(here, '..', '..', 'helpers', 'ts-loader.mjs'),
      join(here, 'store-worker.ts'),
      JSON.stringify(job),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Runs a job to completion; resolves with its parsed output, rejects with its stderr on failure. */
export function runStoreWorker<T>(job: object): Promise<T> {
  const child = startStoreWorker(job);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as T);
      else reject(new Error(`store worker exited ${code}: ${err}`));
    });
  });
}

/** Resolves with the first stdout line of a running child. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('close', (code) => reject(new Error(`worker exited ${code} before printing: ${err}`)));
  });
}

/** Kills a child with SIGKILL and waits until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGKILL');
  await gone;
}
