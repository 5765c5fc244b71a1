/**
 * Runs the image-build CLI the two ways the tests use: the ncc bundle (dist/cli/index.js) as a real child
 * process on the Node running the tests, and the source in-process through runCli with captured streams.
 * Also makes build contexts with a busybox userland, so RUN steps work without pulling a base image.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RootAccess } from '../../src/build/rootfs/run-as-root.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { writeBusyboxRootfs } from '../helpers/busybox-rootfs.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const bundlePath = join(repoRoot, 'dist', 'cli', 'index.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with stderr so far after each chunk; e.g. to send a signal once a step started. */
  readonly onStderr?: (text: string, child: { kill(signal: NodeJS.Signals): void }) => void;
  /** Runs the bundle through another program first, e.g. ['setpriv', '--reuid=65534', …]. */
  readonly wrapper?: readonly string[];
  /** Written to the command's standard input (closed otherwise). */
  readonly stdin?: string;
}

/** Runs `node dist/cli/index.js ...args` and collects its output. */
export function runBundle(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const argv = [...(options.wrapper ?? []), process.execPath, bundlePath, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, IMAGE_BUILD_DEBUG: '', ...(options.env ?? {}) } as NodeJS.ProcessEnv,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
}

/** What a re-run as root was asked for (runSource records it instead of re-running). */
export interface RerunRequest {
  readonly method: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Runs the CLI from source in this process with captured stdout/stderr. */
export async function runSource(
  args: readonly string[],
  options: RunOptions & { uid?: number; reruns?: RerunRequest[]; rootAccess?: RootAccess } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    env: { ...process.env, IMAGE_BUILD_DEBUG: '', ...(options.env ?? {}) },
    cwd: options.cwd ?? repoRoot,
    uid: options.uid ?? process.getuid!(),
    homeDir: homedir(),
    now: () => Date.now(),
    readStdin: async () => options.stdin ?? '',
    ...(options.rootAccess ? { detectRootAccess: () => options.rootAccess! } : {}),
    rerunAsRoot: async (method, args, env) => {
      if (!options.reruns) throw new Error('no re-run as root in tests');
      options.reruns.push({ method, args, env });
      return 0;
    },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

export type Runner = typeof runBundle;
export const runners: readonly (readonly [string, Runner])[] = [
  ['bundle', runBundle],
  ['source', runSource],
];

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A build context: `rootfs/` with busybox, plus the given files (path → content). */
export function makeContext(dir: string, files: Readonly<Record<string, string>>): string {
  writeBusyboxRootfs(join(dir, 'rootfs'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
