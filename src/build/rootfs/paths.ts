import { BuildStepError } from '../../errors.js';

/**
 * Container paths are POSIX paths inside the image's root. They are handled as component lists, cleaned
 * lexically (`.` dropped, `..` clamped at the root), so no string operation can step outside the root.
 */
export function splitContainerPath(p: string): string[] {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return out;
}

/** `/a/b` form of a cleaned container path. */
export function cleanContainerPath(p: string): string {
  return '/' + splitContainerPath(p).join('/');
}

/** Joins a container path to a working directory the way Docker does (absolute paths win). */
export function resolveAgainst(workdir: string, p: string): string {
  return p.startsWith('/') ? cleanContainerPath(p) : cleanContainerPath(`${workdir}/${p}`);
}

export function relativeKey(parts: readonly string[]): string {
  return parts.join('/');
}

export function tooManyLinks(path: string): BuildStepError {
  return new BuildStepError(`too many levels of symbolic links resolving ${path} in the image`);
}
