/**
 * The `image-build` command line: dispatches to a command, turns every error into one line on stderr
 * (`error: Dockerfile:7: …`) and an exit code: 0 success, 1 failure, 130/143 stopped by SIGINT/SIGTERM.
 * Stack traces only with --debug or IMAGE_BUILD_DEBUG=1.
 */
import { describeError } from '../errors.js';
import { runBuildCommand } from './build-command.js';
import { signalExitCode, stopSignalOf } from '../interrupts.js';
import type { CliIo } from './cli-io.js';
import { runPullCommand } from './pull-command.js';
import { runPushCommand } from './push-command.js';
import { buildUsage, mainUsage, pullUsage, pushUsage, versionUsage } from './usage.js';
import { versionText } from './version.js';

type Command = (args: readonly string[], io: CliIo, debug: boolean) => Promise<number>;

const commands: Readonly<Record<string, { readonly run: Command; readonly usage: string }>> = {
  build: { run: runBuildCommand, usage: buildUsage },
  push: { run: runPushCommand, usage: pushUsage },
  pull: { run: runPullCommand, usage: pullUsage },
  version: { run: printVersion, usage: versionUsage },
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const debug = argv.includes('--debug') || io.env['IMAGE_BUILD_DEBUG'] === '1';
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainUsage);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') return printVersion([], io);
  const command = commands[name];
  if (!command) {
    io.stderr.write(
      `error: unknown command ${JSON.stringify(name)} — run image-build --help for the commands\n`,
    );
    return 1;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io, debug);
  } catch (err) {
    return reportError(err, io, debug);
  }
}

function reportError(err: unknown, io: CliIo, debug: boolean): number {
  const stopped = stopSignalOf(io.signal);
  if (stopped) {
    io.stderr.write(`error: interrupted by ${stopped}\n`);
    return signalExitCode(stopped);
  }
  io.stderr.write(`error: ${describeError(err)}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return 1;
}

async function printVersion(_args: readonly string[], io: CliIo): Promise<number> {
  io.stdout.write(`${versionText()}\n`);
  return 0;
}
