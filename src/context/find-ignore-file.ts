/**
 * Finds the ignore file for a build the way BuildKit's dockerfile frontend does (frontend/dockerui/config.go):
 * `<Dockerfile path>.dockerignore` (next to the Dockerfile, named after its file name, e.g.
 * `path/to/app.Dockerfile.dockerignore` for `-f path/to/app.Dockerfile`) takes precedence, even when empty;
 * otherwise `<context>/.dockerignore`, resolved inside the context like BuildKit's FollowPaths. A missing file, or
 * a directory in its place, means no ignore file.
 */
import { lstat, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { PatternMatcher, readIgnorePatterns, type IgnorePattern } from './dockerignore.js';
import { resolveInContext, type PathKind } from './resolve-path.js';

export interface IgnoreFile {
  /** The file that was read. */
  readonly path: string;
  /** The name used in messages: `.dockerignore` or `<Dockerfile name>.dockerignore`. */
  readonly name: string;
  readonly source: 'dockerfile' | 'context';
  readonly patterns: readonly IgnorePattern[];
  readonly matcher: PatternMatcher;
}

export interface FindIgnoreFileOptions {
  readonly contextDir: string;
  /** The Dockerfile's path on disk; undefined when the Dockerfile comes from stdin or a string. */
  readonly dockerfile?: string;
}

/** Reads and compiles the build's ignore file; undefined when there is none. Bad patterns throw DockerfileError. */
export async function findIgnoreFile(options: FindIgnoreFileOptions): Promise<IgnoreFile | undefined> {
  if (options.dockerfile !== undefined) {
    const path = `${options.dockerfile}.dockerignore`;
    const text = await readIfFile(path);
    if (text !== undefined) return compileIgnoreFile(path, basename(path), 'dockerfile', text);
  }
  const lookup = async (rel: string): Promise<PathKind> => {
    const st = await lstat(join(options.contextDir, rel)).catch(() => undefined);
    if (st === undefined) return undefined;
    if (!st.isSymbolicLink()) return { kind: 'other' };
    return { kind: 'symlink', target: await readlink(join(options.contextDir, rel)) };
  };
  const rel = await resolveInContext('.dockerignore', lookup, { policy: 'clamp', followFinal: true });
  const path = join(options.contextDir, rel);
  const text = await readIfFile(path);
  return text === undefined ? undefined : compileIgnoreFile(path, '.dockerignore', 'context', text);
}

function compileIgnoreFile(
  path: string,
  name: string,
  source: IgnoreFile['source'],
  text: Buffer,
): IgnoreFile {
  const patterns = readIgnorePatterns(text);
  const matcher = PatternMatcher.compile(patterns, { kind: 'ignore-file', file: name });
  return { path, name, source, patterns, matcher };
}

async function readIfFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
    throw new InputError('context', `cannot read ${JSON.stringify(path)} (${code ?? 'error'})`, {
      hint: 'make the ignore file readable or remove it',
      cause: err,
    });
  }
}
