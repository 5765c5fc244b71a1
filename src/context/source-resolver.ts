/**
 * Resolves one COPY/ADD source inside the filtered context: wildcard expansion, symlinks followed with
 * BuildKit's scoped rules (never out of the context), and the errors a user sees, each naming the source and
 * the Dockerfile line.
 */
import { BuildStepError, type SourceLocation } from '../errors.js';
import type { SourceTree } from './source-tree.js';
import type { ContextEntry } from './context-entry.js';
import { expandWildcard, splitWildcards } from './copy-walk.js';
import { resolveInContext, SymlinkLoopError, type PathKind } from './resolve-path.js';

export class SourceResolver {
  constructor(
    private readonly ctx: SourceTree,
    /** The source as written in the Dockerfile. */
    private readonly source: string,
    private readonly instruction: string,
    private readonly location: SourceLocation | undefined,
  ) {}

  /**
   * The context paths a source path names: itself when it has no wildcard, else the wildcard's matches
   * (undefined when there are none). The directory before the first wildcard must exist.
   */
  async paths(path: string): Promise<string[] | undefined> {
    const { base, pattern } = splitWildcards(path);
    if (pattern === undefined) return [path];
    const dir = await this.resolve(base, true);
    if (this.ctx.entry(dir) === undefined) {
      throw this.fail(
        `directory "${base}" not found in ${this.ctx.description}`,
        'the part of a wildcard source before the first wildcard must exist',
      );
    }
    const matches = expandWildcard(this.ctx, dir, pattern);
    return matches.length > 0 ? matches : undefined;
  }

  /** Follows a path through symlinks (inside the context) to the entry that is copied. */
  async follow(path: string): Promise<ContextEntry> {
    const resolved = await this.resolve(path, true);
    const entry = this.ctx.entry(resolved);
    if (entry !== undefined && entry.type !== 'symlink') return entry;
    if (resolved !== path || this.ctx.entry(path)?.type === 'symlink') {
      throw this.fail(
        `the symlink "${path}" points to "${resolved}", which is not in ${this.ctx.description}`,
        'symlinks are followed inside the context only; fix the link or copy its target',
      );
    }
    throw await this.notFound(path);
  }

  /** Fails unless the path exists (a `--parents` source without wildcards). */
  async require(path: string): Promise<void> {
    const resolved = await this.resolve(path, false);
    if (this.ctx.entry(resolved) === undefined) throw await this.notFound(path);
  }

  private async resolve(path: string, followFinal: boolean): Promise<string> {
    const lookup = (rel: string): Promise<PathKind> => Promise.resolve(this.kindOf(rel));
    try {
      return await resolveInContext(path, lookup, { policy: 'clamp', followFinal });
    } catch (err) {
      if (err instanceof SymlinkLoopError) throw this.fail(err.message, 'fix the symlink loop');
      throw err;
    }
  }

  private kindOf(rel: string): PathKind {
    const entry = this.ctx.entry(rel);
    if (entry === undefined) return undefined;
    return entry.type === 'symlink' ? { kind: 'symlink', target: entry.linkTarget } : { kind: 'other' };
  }

  private async notFound(path: string): Promise<BuildStepError> {
    const where = `${this.instruction} source "${this.source}"`;
    if (this.ctx.isIgnored(path) && (await this.ctx.diskEntry(path)) !== undefined) {
      return new BuildStepError(`${where} is excluded by .dockerignore`, {
        hint: 'remove the matching .dockerignore pattern or add a "!" exception for it',
        location: this.location,
      });
    }
    return new BuildStepError(`${where} not found in ${this.ctx.description}`, {
      hint: 'sources are relative to the context directory; check the path and the context',
      location: this.location,
    });
  }

  private fail(detail: string, hint: string): BuildStepError {
    return new BuildStepError(`${this.instruction} source "${this.source}": ${detail}`, {
      hint,
      location: this.location,
    });
  }
}
