/**
 * Whole-process measurements with GNU time (/usr/bin/time, Debian package `time`): wall seconds and the peak
 * resident set size of the measured process (the largest of it and the children it waited for).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample {
  readonly wall: number;
  readonly maxRssMb: number;
}

export interface Command {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/** Runs a command once under /usr/bin/time; throws with its output tail when it fails. */
export async function measure(cmd: Command): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'ib-bench-time-'));
  const out = join(dir, 'time');
  try {
    const log = await run(['/usr/bin/time', '-f', '%e %M', '-o', out, ...cmd.argv], cmd);
    const [wall, rssKb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [
      number,
      number,
    ];
    void log;
    return { wall, maxRssMb: rssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command (not timed) and returns its output; throws on failure. */
export function run(argv: readonly string[], opts: Omit<Command, 'argv'> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const [c, ...args] = argv as [string, ...string[]];
    const child = spawn(c, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...(opts.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text = (text + b.toString()).slice(-20000)));
    child.stderr.on('data', (b: Buffer) => (text = (text + b.toString()).slice(-20000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(text)
        : reject(new Error(`${argv.join(' ')} exited ${code}:\n${text.slice(-3000)}`)),
    );
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `runs` samples, each after `prepare` (not timed); returns the medians and the spread. */
export async function sampleMedian(
  runs: number,
  cmd: () => Command,
  prepare?: () => Promise<void>,
): Promise<{ wall: number; maxRssMb: number; walls: number[] }> {
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (prepare) await prepare();
    const s = await measure(cmd());
    walls.push(s.wall);
    rss.push(s.maxRssMb);
  }
  return { wall: median(walls), maxRssMb: median(rss), walls };
}
