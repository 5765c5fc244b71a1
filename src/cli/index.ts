/**
 * The `image-build` executable (dist/cli/index.js): wires the real process into runCli — streams, environment,
 * SIGINT/SIGTERM (the first aborts the build, which cleans up and exits 130/143; a second one exits at once) —
 * and exits with its code.
 */
import { homedir } from 'node:os';
import { rerunInUserNamespace, rerunUnderSudo } from '../build/rootfs/run-as-root.js';
import { trapInterrupts } from '../interrupts.js';
import type { CliIo } from './cli-io.js';
import { rerunMarker } from './root-access.js';
import { runCli } from './run-cli.js';

function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    uid: process.getuid?.() ?? -1,
    homeDir: homedir(),
    now: () => Date.now(),
    signal,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    rerunAsRoot: (method, args, env) => {
      Object.assign(process.env, env);
      const argv = [process.argv[1] ?? '', ...args];
      return method === 'sudo' ? rerunUnderSudo(argv, rerunMarker) : rerunInUserNamespace(argv, rerunMarker);
    },
  };
}

const { signal } = trapInterrupts();
const code = await runCli(process.argv.slice(2), processIo(signal));
process.exit(code);
