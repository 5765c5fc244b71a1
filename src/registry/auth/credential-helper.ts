/**
 * Docker credential helpers: `docker-credential-<name> get` with the server URL on stdin, answering
 * `{"ServerURL","Username","Secret"}` on stdout. Username `<token>` means Secret is an identity token.
 * "credentials not found" is not an error: the registry is then used anonymously.
 */
import { spawn } from 'node:child_process';
import { RegistryError } from '../../errors.js';
import type { Credentials } from './credentials.js';

export interface HelperRun {
  readonly helper: string;
  readonly serverUrl: string;
  readonly registry: string;
  /** Environment for the helper (PATH decides which binary runs); default: inherited. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

interface HelperOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCredentialHelper(run: HelperRun): Promise<Credentials | undefined> {
  const program = `docker-credential-${run.helper}`;
  let out: HelperOutput;
  try {
    out = await execHelper(program, run);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RegistryError(
      `credential helper ${program} for ${run.registry} could not be run (${code ?? 'error'})`,
      {
        hint:
          code === 'ENOENT'
            ? `install ${program} or remove it from the docker config`
            : `check that ${program} works`,
        registry: run.registry,
      },
    );
  }
  if (out.code !== 0) {
    if (/credentials not found/i.test(out.stdout + out.stderr)) return undefined;
    const first = firstLine(out.stderr) || firstLine(out.stdout) || `exit code ${out.code}`;
    throw new RegistryError(`credential helper ${program} failed for ${run.registry}: ${first}`, {
      hint: `check that \`echo ${run.serverUrl} | ${program} get\` works`,
      registry: run.registry,
    });
  }
  return parseHelperAnswer(out.stdout, program, run.registry);
}

function parseHelperAnswer(stdout: string, program: string, registry: string): Credentials | undefined {
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new RegistryError(`credential helper ${program} for ${registry} did not answer JSON`, {
      hint: `check that ${program} is a docker credential helper`,
      registry,
    });
  }
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
  if (secret === '') return undefined;
  if (username === '<token>') return { kind: 'identity-token', token: secret };
  return { kind: 'basic', username, password: secret };
}

function execHelper(program: string, run: HelperRun): Promise<HelperOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(run.env ? { env: run.env as NodeJS.ProcessEnv } : {}),
    });
    // Our own timer (spawn's `timeout` can outlive a helper that failed to start), cleared on every outcome.
    const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 30_000);
    timer.unref();
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.serverUrl);
  });
}

function firstLine(s: string): string {
  return (s.trim().split(/\r?\n/, 1)[0] ?? '').slice(0, 200);
}
