/**
 * COPY and ADD. Sources and destination are the arguments (shell form split on blanks, or JSON); a source
 * that is a heredoc marker becomes an inline file. COPY: --from, --chown, --chmod, --link, --parents,
 * --exclude. ADD: --chown, --chmod, --link, --keep-git-dir, --checksum, --unpack, --exclude.
 */
import type { Heredoc } from '../ast.js';
import { chompHeredocContent, heredocMarkerOrUndefined } from '../heredoc.js';
import { lexWord, noVariables, ShellLexError } from '../shell-lex.js';
import { parseFlags } from './flags.js';
import { baseOf, instructionError, type InstructionRequest } from './request.js';
import type { AddInstruction, CopyInstruction, InlineFile } from './types.js';

interface SourcesAndDest {
  readonly sources: readonly string[];
  readonly inlineFiles: readonly InlineFile[];
  readonly destination: string;
}

export function parseCopy(req: InstructionRequest): CopyInstruction {
  requireDestination(req);
  const flags = parseFlags(req, {
    exclude: 'strings',
    parents: 'bool',
    chown: 'string',
    from: 'string',
    chmod: 'string',
    link: 'bool',
  });
  const from = flags.string('from');
  if (from !== undefined) checkFromHasNoVariables(req, from);
  return {
    kind: 'copy',
    ...baseOf(req),
    ...sourcesAndDest(req),
    from,
    chown: flags.string('chown'),
    chmod: flags.string('chmod'),
    link: flags.bool('link'),
    parents: flags.bool('parents'),
    exclude: flags.strings('exclude'),
  };
}

export function parseAdd(req: InstructionRequest): AddInstruction {
  requireDestination(req);
  const flags = parseFlags(req, {
    exclude: 'strings',
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    unpack: 'bool',
  });
  return {
    kind: 'add',
    ...baseOf(req),
    ...sourcesAndDest(req),
    chown: flags.string('chown'),
    chmod: flags.string('chmod'),
    link: flags.bool('link'),
    keepGitDir: flags.bool('keep-git-dir'),
    checksum: flags.string('checksum'),
    unpack: flags.used.has('unpack') ? flags.bool('unpack') : undefined,
    exclude: flags.strings('exclude'),
  };
}

function requireDestination(req: InstructionRequest): void {
  if (req.node.args.length < 2) {
    throw instructionError(
      req,
      `${req.instruction} requires at least two arguments, but only one was provided. Destination could not be determined`,
      `write ${req.instruction} <source>... <destination>`,
    );
  }
}

/** BuildKit refuses variables in `COPY --from` rather than using the unexpanded text. */
function checkFromHasNoVariables(req: InstructionRequest, from: string): void {
  let value: string;
  try {
    value = lexWord(from, noVariables, { escapeToken: req.escapeToken }).value;
  } catch (err) {
    if (err instanceof ShellLexError) throw instructionError(req, err.message);
    throw err;
  }
  if (value !== from) {
    throw instructionError(
      req,
      `variable expansion is not supported for --from (--from=${from})`,
      'define a new stage with FROM using ARG from global scope as a workaround',
    );
  }
}

function sourcesAndDest(req: InstructionRequest): SourcesAndDest {
  const args = req.node.args;
  const destination = args[args.length - 1]!;
  if (heredocMarkerOrUndefined(destination)) {
    throw instructionError(req, `${req.instruction} cannot accept a heredoc as a destination`);
  }
  const bodies = new Map<string, Heredoc>(req.node.heredocs.map((h) => [h.name, h]));
  const sources: string[] = [];
  const inlineFiles: InlineFile[] = [];
  for (const src of args.slice(0, -1)) {
    const marker = heredocMarkerOrUndefined(src);
    if (!marker) {
      sources.push(src);
      continue;
    }
    const body = bodies.get(marker.name)?.content ?? '';
    inlineFiles.push({
      name: marker.name,
      content: marker.chomp ? chompHeredocContent(body) : body,
      expand: marker.expand,
    });
  }
  return { sources, inlineFiles, destination };
}
