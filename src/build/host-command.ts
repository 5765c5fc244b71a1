import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BuildStepError } from '../errors.js';

export interface HostProcess {
  readonly stdout: Readable;
  readonly stdin: Writable;
  /** Resolves when the process exited 0; rejects with its last stderr lines otherwise. */
  readonly done: Promise<void>;
  kill(): void;
}

/** Starts a host tool (GNU tar, unshare…) with pipes; `what` names it in errors. */
export function startHostProcess(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  what: string,
): HostProcess {
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { env: { ...env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new BuildStepError(`${what}: cannot run ${cmd}: ${err.message}`, { cause: err })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const tail = stderr.trim().split('\n').slice(-3).join('; ');
        reject(
          new BuildStepError(
            `${what}: ${cmd} ${signal ? `killed by ${signal}` : `exited with ${code}`}${tail ? `: ${tail}` : ''}`,
          ),
        );
      }
    });
  });
  // A consumer that stops early must not leave an unhandled rejection behind.
  done.catch(() => undefined);
  return { stdout: child.stdout, stdin: child.stdin, done, kill: () => child.kill('SIGKILL') };
}
