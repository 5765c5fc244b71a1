/**
 * COPY/ADD source selection against a BuildContext, with BuildKit's semantics (dockerfile2llb + fsutil copy):
 * sources are context-relative (a leading `/` is the root), wildcards expand per element with Go's
 * filepath.Match, the source itself is followed through symlinks (never out of the context), a directory means
 * its contents, `--exclude` applies below each copied source, and `--parents` keeps the path below the `/./`
 * pivot (or the root). See README.md for what the destination paths mean.
 */
import { BuildStepError, DockerfileError, type SourceLocation } from '../errors.js';
import type { BuildContext } from './build-context.js';
import type { ContextEntry, DirEntry } from './context-entry.js';
import { collectContents, expandWildcard, splitWildcards, type CopyEntry } from './copy-walk.js';
import { PatternMatcher, type PatternOrigin } from './dockerignore.js';
import { containsWildcards } from './go-glob.js';
import { baseName, cleanPath } from './go-path.js';
import { lexicalContextPath, resolveInContext, SymlinkLoopError, type PathKind } from './resolve-path.js';

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
  readonly source: string;
  readonly path: string;
  readonly include: PatternMatcher | undefined;
  readonly required: string | undefined;
}

/** Resolves COPY/ADD sources to the context entries to copy. */
export async function selectSources(ctx: BuildContext, request: SelectSourcesRequest): Promise<Selection> {
  const instruction = request.instruction ?? 'COPY';
  const exclude =
    request.exclude && request.exclude.length > 0
      ? PatternMatcher.compile(request.exclude, flagOrigin('--exclude', request.location))
      : undefined;
  const items: CopyItem[] = [];
  const emptyWildcards: string[] = [];
  for (const source of request.sources) {
    const job = planSource(source, request, instruction);
    if (job.required !== undefined)
      await requireEntry(ctx, job.required, source, instruction, request.location);
    const matches = await matchSource(ctx, job, instruction, request.location);
    if (matches === undefined) {
      emptyWildcards.push(source);
      continue;
    }
    for (const match of matches) {
      const entry = await followSource(ctx, match, source, instruction, request.location);
      items.push(
        entry.type === 'dir'
          ? {
              kind: 'contents',
              source,
              dir: entry,
              entries: collectContents(ctx, entry, job.include, exclude),
            }
          : { kind: 'single', source, entry, name: baseName(match === '' ? '/' : match) },
      );
    }
  }
  const multipleSources = request.sources.length > 1 || request.sources.some(containsWildcards);
  return { items, emptyWildcards, multipleSources };
}

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
  if (pattern === undefined) return { source, path, include: undefined, required: undefined };
  const include = PatternMatcher.compile(
    [cleanPath(`/${pattern}`).slice(1)],
    flagOrigin('--parents', request.location),
  );
  const literal = !containsWildcards(path) && !containsWildcards(within);
  const required = literal ? [path, within].filter((p) => p !== '').join('/') : undefined;
  return { source, path, include, required };
}

/** The context paths a source names: one for a plain path, the matches of a wildcard (undefined when none). */
async function matchSource(
  ctx: BuildContext,
  job: SourceJob,
  instruction: string,
  location: SourceLocation | undefined,
): Promise<string[] | undefined> {
  const { base, pattern } = splitWildcards(job.path);
  if (pattern === undefined) return [job.path];
  const dir = await resolve(ctx, base, job.source, instruction, location);
  if (ctx.entry(dir) === undefined) {
    throw new BuildStepError(
      `${instruction} source "${job.source}": directory "${base}" not found in the build context`,
      { hint: 'the part of a wildcard source before the first wildcard must exist', location },
    );
  }
  const matches = expandWildcard(ctx, dir, pattern);
  return matches.length > 0 ? matches : undefined;
}

/** Follows a matched path through symlinks (inside the context) to the entry that is copied. */
async function followSource(
  ctx: BuildContext,
  path: string,
  source: string,
  instruction: string,
  location: SourceLocation | undefined,
): Promise<ContextEntry> {
  const resolved = await resolve(ctx, path, source, instruction, location);
  const entry = ctx.entry(resolved);
  if (entry !== undefined && entry.type !== 'symlink') return entry;
  if (resolved !== path || ctx.entry(path)?.type === 'symlink') {
    throw new BuildStepError(
      `${instruction} source "${source}": the symlink "${path}" points to "${resolved}", which is not in the build context`,
      { hint: 'symlinks are followed inside the context only; fix the link or copy its target', location },
    );
  }
  throw await notFoundError(ctx, path, source, instruction, location);
}

async function requireEntry(
  ctx: BuildContext,
  path: string,
  source: string,
  instruction: string,
  location: SourceLocation | undefined,
): Promise<void> {
  const lookup = (rel: string): Promise<PathKind> => Promise.resolve(indexKind(ctx, rel));
  const resolved = await resolveInContext(path, lookup, { policy: 'clamp', followFinal: false });
  if (ctx.entry(resolved) === undefined) throw await notFoundError(ctx, path, source, instruction, location);
}

async function resolve(
  ctx: BuildContext,
  path: string,
  source: string,
  instruction: string,
  location: SourceLocation | undefined,
): Promise<string> {
  try {
    const lookup = (rel: string): Promise<PathKind> => Promise.resolve(indexKind(ctx, rel));
    return await resolveInContext(path, lookup, { policy: 'clamp', followFinal: true });
  } catch (err) {
    if (err instanceof SymlinkLoopError) {
      throw new BuildStepError(`${instruction} source "${source}": ${err.message}`, {
        hint: 'fix the symlink loop',
        location,
      });
    }
    throw err;
  }
}

function indexKind(ctx: BuildContext, rel: string): PathKind {
  const entry = ctx.entry(rel);
  if (entry === undefined) return undefined;
  return entry.type === 'symlink' ? { kind: 'symlink', target: entry.linkTarget } : { kind: 'other' };
}

async function notFoundError(
  ctx: BuildContext,
  path: string,
  source: string,
  instruction: string,
  location: SourceLocation | undefined,
): Promise<BuildStepError> {
  if (ctx.isIgnored(path) && (await ctx.diskEntry(path)) !== undefined) {
    return new BuildStepError(`${instruction} source "${source}" is excluded by .dockerignore`, {
      hint: 'remove the matching .dockerignore pattern or add a "!" exception for it',
      location,
    });
  }
  return new BuildStepError(`${instruction} source "${source}" not found in the build context`, {
    hint: 'sources are relative to the context directory; check the path and the context',
    location,
  });
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
