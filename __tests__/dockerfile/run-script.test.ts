/** runScript: what a RUN executes, as BuildKit's dispatchRun builds it from the command and heredocs. */
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import { runScript, type RunScript } from '../../src/dockerfile/instructions/run-script.js';
import type { RunInstruction } from '../../src/dockerfile/instructions/types.js';

const run = (text: string): RunInstruction =>
  parseDockerfile(`FROM a\n${text}`).stages[0]!.instructions[0] as RunInstruction;

test.each<{ name: string; given: string; os?: string; want: RunScript }>([
  { name: 'shell form', given: 'RUN echo hi', want: { form: 'shell', command: 'echo hi' } },
  { name: 'exec form', given: 'RUN ["echo", "hi"]', want: { form: 'exec', args: ['echo', 'hi'] } },
  {
    name: 'one heredoc is the script',
    given: 'RUN <<EOF\nset -e\necho $HOME\nEOF\n',
    want: { form: 'shell', command: 'set -e\necho $HOME\n' },
  },
  { name: 'chomped', given: 'RUN <<-EOF\n\techo hi\n\tEOF\n', want: { form: 'shell', command: 'echo hi\n' } },
  {
    name: 'shebang heredoc becomes a file under /dev/pipes',
    given: 'RUN <<EOT\n#!/usr/bin/env python3\nprint(1)\nEOT\n',
    want: {
      form: 'shell',
      command: '/dev/pipes/EOT',
      file: {
        directory: '/dev/pipes',
        name: 'EOT',
        content: '#!/usr/bin/env python3\nprint(1)\n',
        mode: 0o755,
      },
    },
  },
  {
    name: 'shebang on Windows is a script',
    given: 'RUN <<EOT\n#!x\nEOT\n',
    os: 'windows',
    want: { form: 'shell', command: '#!x\n' },
  },
  {
    name: 'heredoc with a command: rebuilt for the shell',
    given: 'RUN <<EOT bash\necho 1\nEOT\n',
    want: { form: 'shell', command: '<<EOT bash\necho 1\nEOT' },
  },
  {
    name: 'two heredocs: bodies appended raw (not chomped)',
    given: 'RUN <<A cat > a && <<-B cat > b\nx\nA\n\ty\n\tB\n',
    want: { form: 'shell', command: '<<A cat > a && <<-B cat > b\nx\nA\n\ty\nB' },
  },
])('$name', ({ given, os, want }) => {
  expect(runScript(run(given), os)).toEqual(want);
});
