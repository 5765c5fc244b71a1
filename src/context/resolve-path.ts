/**
 * Resolving a context-relative path through symlinks without ever leaving the context. Two policies:
 * - 'refuse': a path that points outside (`..` above the root, an absolute path or symlink target) is an error;
 *   used when the builder reads a context file.
 * - 'clamp': BuildKit's scoped resolution (containerd's `fs.RootPath`): absolute targets start at the context
 *   root and `..` stops at the root; used for COPY/ADD sources and the `.dockerignore` lookup, like BuildKit.
 * The lookup is a parameter so the same walk runs over the disk or over the filtered context index.
 */

export type ResolvePolicy = 'refuse' | 'clamp';

/** What the resolver needs to know about one context-relative path. */
export type PathKind =
  { readonly kind: 'symlink'; readonly target: string } | { readonly kind: 'other' } | undefined;

export type PathLookup = (rel: string) => Promise<PathKind>;

/** Thrown (policy 'refuse') when a path or a symlink on the way points outside the context. */
export class OutsideContextError extends Error {
  constructor(
    readonly path: string,
    readonly via: string | undefined,
  ) {
    super(
      via === undefined
        ? `"${path}" is outside the build context`
        : `"${path}" resolves outside the build context through the symlink "${via}"`,
    );
    this.name = 'OutsideContextError';
  }
}

/** Thrown when resolving takes more than 255 symlinks (a loop). */
export class SymlinkLoopError extends Error {
  constructor(readonly path: string) {
    super(`too many levels of symbolic links resolving "${path}"`);
    this.name = 'SymlinkLoopError';
  }
}

const maxSymlinks = 255;

/**
 * Resolves `path` (context-relative; a leading '/' means the context root) to a context-relative path with no
 * symlinks on the way. Missing components are kept as they are, so the result may not exist. With
 * `followFinal: false` a symlink in the last position is returned itself.
 */
export async function resolveInContext(
  path: string,
  lookup: PathLookup,
  options: { readonly policy: ResolvePolicy; readonly followFinal: boolean },
): Promise<string> {
  if (options.policy === 'refuse' && path.startsWith('/')) throw new OutsideContextError(path, undefined);
  const done: string[] = [];
  let pending = splitElements(path);
  let links = 0;
  let via: string | undefined;
  while (pending.length > 0) {
    const [element, ...rest] = pending as [string, ...string[]];
    pending = rest;
    if (element === '..') {
      if (done.length === 0 && options.policy === 'refuse') throw new OutsideContextError(path, via);
      done.pop();
      continue;
    }
    const candidate = [...done, element].join('/');
    const kind = await lookup(candidate);
    if (kind?.kind !== 'symlink' || (pending.length === 0 && !options.followFinal)) {
      done.push(element);
      continue;
    }
    if (++links > maxSymlinks) throw new SymlinkLoopError(path);
    via = candidate;
    if (kind.target.startsWith('/')) {
      if (options.policy === 'refuse') throw new OutsideContextError(path, via);
      done.length = 0;
    }
    pending = [...splitElements(kind.target), ...pending];
  }
  return done.join('/');
}

function splitElements(path: string): string[] {
  return path.split('/').filter((e) => e !== '' && e !== '.');
}

/**
 * Lexically checks a COPY/ADD source: returns its context-relative form (leading '/' meaning the root) or
 * undefined when `..` would climb above the context root.
 */
export function lexicalContextPath(source: string): string | undefined {
  const out: string[] = [];
  for (const element of splitElements(source)) {
    if (element !== '..') out.push(element);
    else if (out.length === 0) return undefined;
    else out.pop();
  }
  return out.join('/');
}
