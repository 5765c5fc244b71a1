import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { ImageStore } from '../store/types.js';

/**
 * The directory a build keeps between runs: `store/` (an OCI image layout with every layer and image built or
 * pulled) and `build/` (unpacked layers, the step cache, temp files). Reusing it makes a second build warm.
 * `$XDG_CACHE_HOME/image-build`, else `~/.cache/image-build`, unless `--work-dir` says otherwise.
 */
export function defaultWorkDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'image-build');
  return join(homeDir, '.cache', 'image-build');
}

export interface WorkDirLayout {
  readonly root: string;
  /** The content store (OCI image layout). */
  readonly store: string;
  /** The builder's work root. */
  readonly build: string;
}

export function workDirLayout(dir: string, cwd: string): WorkDirLayout {
  const root = resolve(cwd, dir);
  return { root, store: join(root, 'store'), build: join(root, 'build') };
}

/** Opens (creating it if needed) the work dir's store; a directory we cannot use is an InputError naming --work-dir. */
export async function openWorkStore(layout: WorkDirLayout): Promise<ImageStore> {
  try {
    return await openStore(layout.store);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `(${code})` : `(${(err as Error).message})`;
    throw new InputError(
      '--work-dir',
      `cannot use ${JSON.stringify(layout.root)} as the work directory ${why}`,
      {
        hint: 'give --work-dir a directory this user can write',
        cause: err,
      },
    );
  }
}
