/**
 * COPY/ADD source selection against a SourceTree (the build context or a stage's filesystem), with BuildKit's semantics (dockerfile2llb + fsutil copy):
 * sources are context-relative (a leading `/` is the root), wildcards expand per element with Go's
 * filepath.Match, the source itself is followed through symlinks (never out of the context), a directory means
 * its contents, `--exclude` applies below each copied source, and `--parents` keeps the path below the `/./`
 * pivot (or the root). See README.md for what the destination paths mean.
 */
import { DockerfileError, type SourceLocation } from '../errors.js';
import type { SourceTree } from './source-tree.js';
import type { ContextEntry, DirEntry } from './context-entry.js';
import { collectContents, type CopyEntry } from './copy-walk.js';
import { PatternMatcher, type PatternOrigin } from './dockerignore.js';
import { containsWildcards } from './go-glob.js';
import { baseName, cleanPath } from './go-path.js';
import { lexicalContextPath } from './resolve-path.js';
import { SourceResolver } from './source-resolver.js';

export interface SelectSourcesRequest {
  /** The source arguments exactly as written (after ARG/ENV expansion). */
  readonly sources: readonly string[];
  /** `--exclude` patterns (patternmatcher syntax, matched below each copied source). */
  readonly exclude?: readonly string[];
  /** `--parents`: keep each source's path (below a `/./` pivot, else below the root). */
  readonly parents?: boolean;
  readonly instruction?: 'COPY' | 'ADD';
  readonly location?: SourceLocation;
}

/**
 * What one source contributes, in copy order:
 * - `contents`: a directory source; its entries go to DEST/destPath and DEST is a directory (created if missing).
 * - `single`: anything else (a symlink source is followed); it goes to DEST/name when DEST ends with '/' or is an
 *   existing directory when the item is copied, otherwise to DEST itself.
 */
export type CopyItem =
  | {
      readonly kind: 'contents';
      readonly source: string;
      readonly dir: DirEntry;
      readonly entries: readonly CopyEntry[];
    }
  | {
      readonly kind: 'single';
      readonly source: string;
      readonly entry: Exclude<ContextEntry, DirEntry>;
      readonly name: string;
    };

export interface Selection {
  readonly items: readonly CopyItem[];
  /** Wildcard sources that matched nothing. BuildKit copies nothing for them and does not fail. */
  readonly emptyWildcards: readonly string[];
  /**
   * True when the instruction names several sources or a wildcard. The classic builder then required DEST to end
   * with '/'; BuildKit does not (each `single` item then overwrites the previous one), so this is for warnings.
   */
  readonly multipleSources: boolean;
}

interface SourceJob {
  readonly path: string;
  readonly include: PatternMatcher | undefined;
  readonly required: string | undefined;
}

/** Resolves COPY/ADD sources to the context entries to copy. */
export async function selectSources(ctx: SourceTree, request: SelectSourcesRequest): Promise<Selection> {
  const instruction = request.instruction ?? 'COPY';
  const exclude =
    request.exclude && request.exclude.length > 0
      ? PatternMatcher.compile(request.exclude, flagOrigin('--exclude', request.location))
      : undefined;
  const items: CopyItem[] = [];
  const emptyWildcards: string[] = [];
  for (const source of request.sources) {
    const job = planSource(source, request, instruction);
    const resolver = new SourceResolver(ctx, source, instruction, request.location);
    if (job.required !== undefined) await resolver.require(job.required);
    const paths = await resolver.paths(job.path);
    if (paths === undefined) emptyWildcards.push(source);
    for (const path of paths ?? []) {
      const entry = await resolver.follow(path);
      items.push(
        entry.type === 'dir'
          ? {
              kind: 'contents',
              source,
              dir: entry,
              entries: collectContents(ctx, entry, job.include, exclude),
            }
          : { kind: 'single', source, entry, name: baseName(path) },
      );
    }
  }
  const multipleSources = request.sources.length > 1 || request.sources.some(containsWildcards);
  return { items, emptyWildcards, multipleSources };
}

/** Splits a source into the path to resolve and, with `--parents`, the include pattern below its pivot. */
function planSource(source: string, request: SelectSourcesRequest, instruction: string): SourceJob {
  let pivot = source;
  let pattern: string | undefined;
  if (request.parents) {
    const cut = source.indexOf('/./');
    pivot = cut < 0 ? '/' : source.slice(0, cut);
    pattern = cut < 0 ? source : source.slice(cut + 3);
  }
  const path = lexicalContextPath(pivot);
  const within = pattern === undefined ? '' : lexicalContextPath(pattern);
  if (path === undefined || within === undefined) throw outsideError(source, instruction, request.location);
  if (pattern === undefined) return { path, include: undefined, required: undefined };
  const cleaned = cleanPath(`/${pattern}`).slice(1);
  const include = PatternMatcher.compile([cleaned], flagOrigin('--parents', request.location));
  const literal = !containsWildcards(path) && !containsWildcards(within);
  const required = literal ? [path, within].filter((p) => p !== '').join('/') : undefined;
  return { path, include, required };
}

function outsideError(
  source: string,
  instruction: string,
  location: SourceLocation | undefined,
): DockerfileError {
  return new DockerfileError(`${instruction} source "${source}" is outside the build context`, {
    hint: 'sources cannot use ".." to leave the context; move the file into it or use a larger context',
    ...(location ? { location } : {}),
  });
}

function flagOrigin(flag: string, location: SourceLocation | undefined): PatternOrigin {
  return location ? { kind: 'flag', flag, location } : { kind: 'flag', flag };
}
