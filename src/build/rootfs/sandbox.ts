import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildStepError } from '../../errors.js';
import { defaultCapabilities, type Privilege } from './privilege.js';
import { sandboxScript } from './sandbox-script.js';

/** A mount a RUN step sees besides its rootfs; targets are paths inside the container. */
export type SandboxMount =
  | {
      readonly kind: 'bind';
      readonly source: string;
      readonly target: string;
      readonly readonly: boolean;
      readonly file: boolean;
    }
  | { readonly kind: 'tmpfs'; readonly target: string; readonly options: string }
  | {
      readonly kind: 'overlay';
      readonly target: string;
      /** Layer directories, topmost first. */
      readonly lowers: readonly string[];
      /** A writable upper (discarded by the caller afterwards); omitted for a read-only view. */
      readonly upper?: { readonly dir: string; readonly work: string };
      /** Mount only this path of the view (resolved inside it), e.g. `source=/app` of a stage. */
      readonly subpath?: string;
    };

export interface SandboxRootfs {
  /** Where the overlay is mounted (an empty directory on the host). */
  readonly mountpoint: string;
  /** Layer directories, topmost first; at least one (an empty directory for scratch). */
  readonly lowers: readonly string[];
  readonly upper: string;
  readonly work: string;
}

export interface RunRequest {
  readonly rootfs: SandboxRootfs;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  /** USER as written (`name`, `uid`, `name:group`, `uid:gid`); empty for root. */
  readonly user: string;
  readonly network: 'default' | 'none' | 'host';
  readonly hostname: string;
  /** Host files bind-mounted at /etc/hosts and /etc/resolv.conf (copies owned by the build). */
  readonly hostsFile: string;
  readonly resolvConfFile: string;
  readonly mounts: readonly SandboxMount[];
  /** A private directory for the spec/env/status files. */
  readonly scratchDir: string;
  readonly onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  readonly signal?: AbortSignal;
}

export type RunOutcome =
  { readonly kind: 'exit'; readonly code: number } | { readonly kind: 'signal'; readonly signal: number };

export interface SandboxHost {
  readonly privilege: Privilege;
  /** PATH (and nothing secret) for the host tools: unshare, perl, mount, umount. */
  readonly hostEnv: Readonly<Record<string, string>>;
  /** Where the supervisor script is written once. */
  readonly scriptPath: string;
}

/** Writes the supervisor script where the sandbox runs it from. */
export async function installSandboxScript(path: string): Promise<void> {
  await writeFile(path, sandboxScript, { mode: 0o644 });
}

/** Runs one command in a fresh namespace sandbox over an overlay rootfs; the new files end up in `rootfs.upper`. */
export async function runInSandbox(host: SandboxHost, req: RunRequest): Promise<RunOutcome> {
  const dir = await mkdtemp(join(req.scratchDir, 'run-'));
  try {
    const status = join(dir, 'status');
    const spec = join(dir, 'spec');
    const envFile = join(dir, 'env');
    await writeFile(envFile, req.env.map((e) => `${e}\0`).join(''), { mode: 0o600 });
    await writeFile(
      spec,
      encodeSpec(req, status, envFile, host.privilege.overlayXattrPrefix === 'user.overlay.'),
      { mode: 0o600 },
    );
    const unshare = [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--pid',
      '--fork',
      '--kill-child',
      '--ipc',
      '--uts',
    ];
    if (req.network === 'none') unshare.push('--net');
    const argv = host.privilege.wrap([...unshare, '--', 'perl', host.scriptPath, spec]);
    await spawnSupervisor(argv, host.hostEnv, req);
    return parseStatus(await readFile(status, 'utf8').catch(() => ''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function encodeSpec(req: RunRequest, statusFile: string, envFile: string, overlayUserXattr: boolean): string {
  const tokens: string[] = ['status', statusFile, 'envfile', envFile, 'caps', defaultCapabilities.join(',')];
  if (overlayUserXattr) tokens.push('userxattr');
  const { lowerCwd, lowers } = lowerOption(req.rootfs.lowers);
  tokens.push('root', req.rootfs.mountpoint, lowerCwd, lowers, req.rootfs.upper, req.rootfs.work);
  tokens.push('proc', 'sys', 'dev');
  // read-only, as BuildKit mounts them (docs/buildkit-semantics.md §1.3): one step cannot redirect a later one's lookups
  tokens.push('bind', req.hostsFile, '/etc/hosts', 'ro', 'file');
  tokens.push('bind', req.resolvConfFile, '/etc/resolv.conf', 'ro', 'file');
  for (const m of req.mounts) {
    switch (m.kind) {
      case 'bind':
        tokens.push('bind', m.source, m.target, m.readonly ? 'ro' : 'rw', m.file ? 'file' : 'dir');
        break;
      case 'tmpfs':
        tokens.push('tmpfs', m.target, m.options);
        break;
      case 'overlay': {
        const o = lowerOption(m.lowers);
        tokens.push(
          'overlay',
          m.target,
          o.lowerCwd,
          o.lowers,
          m.upper?.dir ?? '',
          m.upper?.work ?? '',
          m.subpath ?? '/',
        );
        break;
      }
    }
  }
  tokens.push('hostname', req.hostname);
  if (req.network === 'none') tokens.push('lo');
  tokens.push('exec', req.cwd, req.user, ...req.argv);
  for (const t of tokens) {
    if (t.includes('\0'))
      throw new BuildStepError(`a RUN argument contains a NUL byte: ${JSON.stringify(t)}`);
  }
  return tokens.map((t) => `${t}\0`).join('');
}

/** overlayfs stacks at most this many lower directories (the kernel's OVL_MAX_STACK). */
export const maxLowerLayers = 500;

/**
 * overlayfs takes all lower directories in one mount option limited to a page; mounting from their common parent
 * with relative names keeps it short (hundreds of layers fit). A directory may appear only once in a stack (the
 * kernel refuses the mount with ELOOP), but an image often has the same layer twice (two WORKDIRs of an existing
 * directory, the same file copied twice, BuildKit's empty layers in a base image): only the topmost occurrence
 * is kept, which shows exactly the same files — everything the lower copy holds or hides, the upper one already
 * does.
 */
export function lowerOption(dirs: readonly string[]): { lowerCwd: string; lowers: string } {
  if (dirs.length === 0) throw new Error('overlay needs at least one lower directory');
  const unique = [...new Set(dirs)];
  if (unique.length > maxLowerLayers) {
    throw new BuildStepError(
      `the root filesystem has ${unique.length} distinct layers, more than the ${maxLowerLayers} overlayfs can stack`,
      { hint: 'combine RUN/COPY steps, or start from a base image with fewer layers' },
    );
  }
  const parent = commonParent(unique);
  const rel = unique.map((d) => (parent === '/' ? d.slice(1) : d.slice(parent.length + 1)));
  for (const r of rel) {
    if (/[:,]/.test(r))
      throw new Error(`layer directory name ${JSON.stringify(r)} cannot be used in an overlay mount`);
  }
  return { lowerCwd: parent, lowers: rel.join(':') };
}

function commonParent(dirs: readonly string[]): string {
  const split = dirs.map((d) => d.split('/').slice(0, -1));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join('/') || '/';
}

function spawnSupervisor(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  req: RunRequest,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => req.onOutput(c, 'stdout'));
    child.stderr.on('data', (c: Buffer) => req.onOutput(c, 'stderr'));
    child.on('error', (err) => {
      req.signal?.removeEventListener('abort', onAbort);
      reject(new BuildStepError(`cannot start the RUN sandbox (${cmd}): ${err.message}`, { cause: err }));
    });
    child.on('close', () => {
      if (killTimer) clearTimeout(killTimer);
      req.signal?.removeEventListener('abort', onAbort);
      if (req.signal?.aborted) reject(new BuildStepError('RUN step interrupted'));
      else resolve();
    });
  });
}

/** A setup failure can quote a mount command with hundreds of layer names: keep its start and end. */
function shortened(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)} … ${text.slice(-max / 4)}`;
}

function parseStatus(text: string): RunOutcome {
  const m = /^(exit|signal|error) ([\s\S]*)$/.exec(text);
  if (!m) throw new BuildStepError('the RUN sandbox ended without reporting a status (was it killed?)');
  if (m[1] === 'error')
    throw new BuildStepError(`the RUN sandbox could not start the command: ${shortened(m[2]!)}`);
  const n = Number(m[2]);
  return m[1] === 'exit' ? { kind: 'exit', code: n } : { kind: 'signal', signal: n };
}
