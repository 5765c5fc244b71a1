/**
 * What a RUN executes, as BuildKit's `dispatchRun` decides it, before the shell is prepended:
 * exec form runs as is; with heredocs, a single heredoc that is the whole command is the script (or, if it
 * starts with `#!` on Linux, a 0755 file mounted read-only at /dev/pipes/<name> that the shell runs);
 * anything else is the command line followed by each body and its terminator, for the shell to read.
 */
import { chompHeredocContent, heredocMarkerOrUndefined } from '../heredoc.js';
import type { RunInstruction } from './types.js';

/** A file BuildKit writes for a shebang heredoc; mount `directory` read-only while the step runs. */
export interface RunInlineFile {
  readonly directory: '/dev/pipes';
  readonly name: string;
  readonly content: string;
  readonly mode: 0o755;
}

export type RunScript =
  | { readonly form: 'exec'; readonly args: readonly string[] }
  | { readonly form: 'shell'; readonly command: string; readonly file?: RunInlineFile };

/** The command to run: exec args, or one shell command (run as `<SHELL…> <command>`). */
export function runScript(run: RunInstruction, imageOs = 'linux'): RunScript {
  if (run.command.form === 'exec') return { form: 'exec', args: run.command.args };
  const line = run.command.command;
  const [first] = run.heredocs;
  if (!first) return { form: 'shell', command: line };
  if (run.heredocs.length === 1 && heredocMarkerOrUndefined(line)) {
    const content = first.chomp ? chompHeredocContent(first.content) : first.content;
    if (imageOs !== 'windows' && first.content.startsWith('#!')) {
      const file: RunInlineFile = { directory: '/dev/pipes', name: first.name, content, mode: 0o755 };
      return { form: 'shell', command: `/dev/pipes/${first.name}`, file };
    }
    return { form: 'shell', command: content };
  }
  return { form: 'shell', command: run.heredocs.reduce((full, h) => `${full}\n${h.content}${h.name}`, line) };
}
