/**
 * `image-build build` flags → one typed, validated BuildOptions value. Defaults follow `docker build`: context
 * `.`, Dockerfile `<context>/Dockerfile` (`-f` is relative to the working directory; `-f -` reads stdin),
 * `--build-arg K` takes K's value from the environment (and is skipped when it is not set).
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { SecretSource } from '../build/types.js';
import { parseByteSize } from '../cache/index.js';
import { InputError } from '../errors.js';
import type { LayerCompression } from '../oci/media-types.js';
import { hostPlatform, parsePlatform } from '../oci/platform.js';
import type { Platform } from '../oci/types.js';
import { parseReference, type Reference } from '../registry/reference.js';
import type { CliIo } from './cli-io.js';
import { parseOutput, type OutputTarget } from './output-target.js';
import { parseFlags, splitKeyValue, stringList, stringValue } from './parse-flags.js';
import { parseSecret } from './secret-spec.js';
import { defaultWorkDir } from './work-dir.js';

export type ProgressMode = 'auto' | 'plain' | 'tty';

export type DockerfileSource =
  { readonly kind: 'file'; readonly path: string; readonly display: string } | { readonly kind: 'stdin' };

export type SourceDateEpoch =
  | { readonly kind: 'unset' }
  | { readonly kind: 'seconds'; readonly seconds: number }
  | { readonly kind: 'git' };

/** `--cache-dir` and its budgets: the cross-run layer cache in a local directory. */
export interface CacheDirOptions {
  readonly dir: string;
  readonly budgetBytes?: number;
  readonly mountBudgetBytes?: number;
}

export interface BuildOptions {
  /** Absolute path of the build context. */
  readonly contextDir: string;
  readonly dockerfile: DockerfileSource;
  readonly tags: readonly Reference[];
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly secrets: ReadonlyMap<string, SecretSource>;
  readonly platform: Platform;
  readonly outputs: readonly OutputTarget[];
  readonly labels: Readonly<Record<string, string>>;
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly push: boolean;
  readonly sourceDateEpoch: SourceDateEpoch;
  readonly compression: LayerCompression;
  /** Absolute path; `--work-dir` or the default cache directory. */
  readonly workDir: string;
  /** True when --work-dir was given (a sudo re-run passes the resolved default explicitly). */
  readonly workDirGiven: boolean;
  readonly progress: ProgressMode;
  readonly insecureRegistries: readonly string[];
  readonly iidFile?: string;
  readonly metadataFile?: string;
  readonly cache?: CacheDirOptions;
}

export const buildFlags = {
  file: { type: 'string', short: 'f' },
  tag: { type: 'string', short: 't', multiple: true },
  target: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  platform: { type: 'string' },
  output: { type: 'string', short: 'o', multiple: true },
  label: { type: 'string', multiple: true },
  'no-cache': { type: 'boolean' },
  pull: { type: 'boolean' },
  'source-date-epoch': { type: 'string' },
  compression: { type: 'string' },
  'work-dir': { type: 'string' },
  progress: { type: 'string' },
  push: { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  iidfile: { type: 'string' },
  'metadata-file': { type: 'string' },
  'cache-dir': { type: 'string' },
  'cache-budget': { type: 'string' },
  'cache-mount-budget': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Io = Pick<CliIo, 'cwd' | 'env' | 'homeDir'>;

/** Parses and validates the flags; every problem is an InputError naming the flag. */
export function parseBuildOptions(args: readonly string[], io: Io): BuildOptions {
  const { values: v, positionals } = parseFlags('build', args, buildFlags);
  if (positionals.length > 1) {
    throw new InputError(
      'CONTEXT',
      `one build context expected, got ${positionals.length}: ${positionals.join(' ')}`,
      {
        hint: 'put flags before or after the context directory, and quote values with spaces',
      },
    );
  }
  const contextDir = resolve(io.cwd, positionals[0] ?? '.');
  const tags = stringList(v['tag']).map(parseTag);
  const push = v['push'] === true;
  if (push && tags.length === 0)
    throw new InputError('--push', 'needs at least one -t NAME:TAG to push to', {
      hint: 'add -t registry/repository:tag',
    });
  const workDirFlag = stringValue(v['work-dir']);
  const target = stringValue(v['target']);
  const iidFile = stringValue(v['iidfile']);
  const metadataFile = stringValue(v['metadata-file']);
  return {
    contextDir,
    dockerfile: dockerfileSource(stringValue(v['file']), contextDir, io.cwd),
    tags,
    ...(target !== undefined ? { target: nonEmpty('--target', target) } : {}),
    buildArgs: buildArgs(stringList(v['build-arg']), io.env),
    secrets: secrets(stringList(v['secret']), io),
    platform: platform(stringValue(v['platform'])),
    outputs: stringList(v['output']).map((o) => parseOutput(o, io.cwd)),
    labels: labels(stringList(v['label'])),
    noCache: v['no-cache'] === true,
    pull: v['pull'] === true,
    push,
    sourceDateEpoch: sourceDateEpoch(stringValue(v['source-date-epoch']), io.env),
    compression: compression(stringValue(v['compression'])),
    workDir: resolve(io.cwd, workDirFlag ?? defaultWorkDir(io.env, io.homeDir)),
    workDirGiven: workDirFlag !== undefined,
    progress: progressMode(stringValue(v['progress'])),
    insecureRegistries: stringList(v['insecure-registry']).map((h) => nonEmpty('--insecure-registry', h)),
    ...(iidFile !== undefined ? { iidFile: resolve(io.cwd, iidFile) } : {}),
    ...(metadataFile !== undefined ? { metadataFile: resolve(io.cwd, metadataFile) } : {}),
    ...cacheDir(v, io.cwd),
  };
}

function cacheDir(v: ReturnType<typeof parseFlags>['values'], cwd: string): { cache?: CacheDirOptions } {
  const dir = stringValue(v['cache-dir']);
  const budget = stringValue(v['cache-budget']);
  const mountBudget = stringValue(v['cache-mount-budget']);
  if (dir === undefined) {
    const orphan =
      budget !== undefined
        ? '--cache-budget'
        : mountBudget !== undefined
          ? '--cache-mount-budget'
          : undefined;
    if (orphan) throw new InputError(orphan, 'needs --cache-dir', { hint: 'add --cache-dir DIR' });
    return {};
  }
  return {
    cache: {
      dir: resolve(cwd, nonEmpty('--cache-dir', dir)),
      ...(budget !== undefined ? { budgetBytes: parseByteSize('--cache-budget', budget) } : {}),
      ...(mountBudget !== undefined
        ? { mountBudgetBytes: parseByteSize('--cache-mount-budget', mountBudget) }
        : {}),
    },
  };
}

function parseTag(text: string): Reference {
  const ref = parseReference(text, { input: '--tag' });
  if (ref.digest !== undefined)
    throw new InputError('--tag', `${JSON.stringify(text)} names a digest; a tag is NAME[:TAG]`, {
      hint: 'drop the @sha256:… part',
    });
  return ref;
}

function dockerfileSource(file: string | undefined, contextDir: string, cwd: string): DockerfileSource {
  if (file === '-') return { kind: 'stdin' };
  const path = file === undefined ? join(contextDir, 'Dockerfile') : resolve(cwd, nonEmpty('--file', file));
  const rel = relative(cwd, path);
  return { kind: 'file', path, display: rel === '' || isAbsolute(rel) || rel.startsWith('..') ? path : rel };
}

function buildArgs(list: readonly string[], env: Io['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const { key, value } = splitKeyValue('--build-arg', item);
    const resolved = value ?? env[key];
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

function labels(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const { key, value } = splitKeyValue('--label', item);
    out[key] = value ?? '';
  }
  return out;
}

function secrets(list: readonly string[], io: Io): Map<string, SecretSource> {
  const out = new Map<string, SecretSource>();
  for (const spec of list) {
    const { id, source } = parseSecret(spec, io);
    out.set(id, source);
  }
  return out;
}

function platform(text: string | undefined): Platform {
  if (text === undefined) return hostPlatform();
  if (text.includes(','))
    throw new InputError('--platform', `one platform per build, got ${JSON.stringify(text)}`, {
      hint: 'build each platform separately',
    });
  try {
    return parsePlatform(text);
  } catch (err) {
    throw new InputError('--platform', (err as Error).message);
  }
}

function sourceDateEpoch(text: string | undefined, env: Io['env']): SourceDateEpoch {
  const value = text ?? env['SOURCE_DATE_EPOCH'];
  const flag = text !== undefined ? '--source-date-epoch' : 'SOURCE_DATE_EPOCH';
  if (value === undefined || (text === undefined && value === '')) return { kind: 'unset' };
  if (value === 'git' && text !== undefined) return { kind: 'git' };
  if (!/^\d{1,12}$/.test(value))
    throw new InputError(flag, `${JSON.stringify(value)} is not a number of seconds since 1970`, {
      hint:
        text !== undefined
          ? 'give seconds, e.g. 1700000000, or git for the commit time'
          : 'unset it or give seconds',
    });
  return { kind: 'seconds', seconds: Number(value) };
}

function compression(text: string | undefined): LayerCompression {
  if (text === undefined || text === 'gzip') return 'gzip';
  if (text === 'zstd') return 'zstd';
  throw new InputError('--compression', `${JSON.stringify(text)} is not gzip or zstd`);
}

function progressMode(text: string | undefined): ProgressMode {
  if (text === undefined) return 'auto';
  if (text === 'auto' || text === 'plain' || text === 'tty') return text;
  throw new InputError('--progress', `${JSON.stringify(text)} is not auto, plain or tty`);
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new InputError(flag, 'is empty');
  return value;
}
