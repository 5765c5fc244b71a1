/** BENCHMARKS.md: one section per scenario, replaced in place on each run (markers keep the other sections). */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const benchmarksFile = 'BENCHMARKS.md';

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${kernel}, Node ${process.versions.node}`;
}

export function version(argv: readonly string[]): string {
  try {
    return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')[0]!;
  } catch {
    return 'not installed';
  }
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function secs(x: number): string {
  return `${x.toFixed(2)} s`;
}

export function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

/** Replaces (or appends) the section `name` of BENCHMARKS.md. */
export function writeSection(name: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const head =
    '# Benchmarks\n\nProduced by `npm run bench` (scripts/bench). Each section is rewritten by its scenario; figures are medians of whole-process wall time and peak RSS measured with GNU time, with the peer tools measured in the same run on the same machine.\n';
  let text = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : head;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(benchmarksFile, text);
}
