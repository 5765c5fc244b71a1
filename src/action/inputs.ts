/**
 * Every input of the action, read once into one typed, validated value. A bad value is an InputError naming the
 * input and what it accepts; nothing else in the action reads inputs.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { SecretSource } from '../build/types.js';
import { InputError } from '../errors.js';
import type { InputName } from './names.js';
import { parseBuildArgs } from './parse-build-args.js';
import { parseByteSize } from '../cache/byte-size.js';
import { parseCacheSetting, type CacheSetting } from './parse-cache.js';
import { parseExports, type ExportTarget } from './parse-exports.js';
import { parseSecrets } from './parse-secrets.js';
import { parseTagsInput, type TagsSetting } from './parse-tags.js';
import { parseBoolean, parseChoice, parseEpoch, splitList, type EpochSetting } from './parse-values.js';

export const pushModes = ['auto', 'true', 'false'] as const;
/** `auto`: push except on pull requests from forks. */
export type PushMode = (typeof pushModes)[number];

export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

export interface Inputs {
  readonly workspace: string;
  readonly context: string;
  readonly file: string;
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly secrets: ReadonlyMap<string, SecretSource>;
  /** metadata-action `images` text; defaults to `<registry>/<owner>/<repo>`. */
  readonly images: string;
  readonly tags: TagsSetting;
  readonly flavor: string;
  readonly labels: string;
  readonly annotations: string;
  readonly push: PushMode;
  readonly registry: string;
  /** Credentials for `registry`; other registries use the Docker config (docker/login-action writes it). */
  readonly login?: RegistryLogin;
  readonly insecureRegistries: readonly string[];
  readonly cache: CacheSetting;
  /** Per-scope byte budgets of the cross-run cache: layers, and RUN cache-mount contents. */
  readonly cacheBudget: { readonly layers: number; readonly mounts: number };
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly exports: readonly ExportTarget[];
  readonly prComment: boolean;
  readonly summary: boolean;
  readonly githubToken: string;
  readonly sourceDateEpoch: EpochSetting;
  readonly allowPullRequestTarget: boolean;
}

/** What the inputs' defaults depend on. */
export interface InputEnvironment {
  /** GITHUB_WORKSPACE: relative paths start here. */
  readonly workspace: string;
  /** GITHUB_REPOSITORY (`owner/name`). */
  readonly repository: string;
  /** GITHUB_ACTOR: the default username. */
  readonly actor: string;
  /** For bare build args, `env=` secrets and SOURCE_DATE_EPOCH. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ReadInputsResult {
  readonly inputs: Inputs;
  /** Secret values found in the inputs; the caller masks them. */
  readonly secretValues: readonly string[];
}

export type InputReader = (name: InputName) => string;

export function readInputs(get: InputReader, environment: InputEnvironment): ReadInputsResult {
  const workspace = environment.workspace;
  const context = resolvePath(workspace, get('context').trim() || '.');
  const fileText = get('file').trim();
  const registry = parseRegistry(get('registry'));
  const githubToken = get('github-token').trim();
  const secrets = parseSecrets(get('secrets'), environment.env, workspace);
  const login = parseLogin(get, environment, registry, githubToken);
  const target = get('target').trim();
  const inputs: Inputs = {
    workspace,
    context,
    file: fileText === '' ? join(context, 'Dockerfile') : resolvePath(workspace, fileText),
    ...(target !== '' ? { target } : {}),
    buildArgs: parseBuildArgs(get('build-args'), environment.env),
    secrets: secrets.secrets,
    images: get('images').trim() || defaultImage(registry, environment.repository),
    tags: parseTagsInput(get('tags')),
    flavor: get('flavor'),
    labels: get('labels'),
    annotations: get('annotations'),
    push: parseChoice('push', get('push'), pushModes, 'auto'),
    registry,
    ...(login ? { login } : {}),
    insecureRegistries: splitList(get('insecure-registries')),
    cache: parseCacheSetting(
      { cache: get('cache'), backend: get('cache-backend'), path: get('cache-path'), ref: get('cache-ref') },
      workspace,
    ),
    cacheBudget: {
      layers: parseByteSize('cache-budget', get('cache-budget') || '2GiB'),
      mounts: parseByteSize('cache-mount-budget', get('cache-mount-budget') || '1GiB'),
    },
    noCache: parseBoolean('no-cache', get('no-cache'), false),
    pull: parseBoolean('pull', get('pull'), false),
    exports: parseExports(get('outputs'), workspace),
    prComment: parseBoolean('pr-comment', get('pr-comment'), true),
    summary: parseBoolean('summary', get('summary'), true),
    githubToken,
    sourceDateEpoch: parseEpoch(get('source-date-epoch'), environment.env['SOURCE_DATE_EPOCH']),
    allowPullRequestTarget: parseBoolean(
      'allow-pull-request-target',
      get('allow-pull-request-target'),
      false,
    ),
  };
  const secretValues = [
    ...secrets.values,
    ...(login ? [login.password] : []),
    ...(githubToken ? [githubToken] : []),
  ];
  return { inputs, secretValues };
}

const registryHost =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

function parseRegistry(text: string): string {
  const value = text.trim() || 'ghcr.io';
  if (/^[a-z]+:\/\//i.test(value)) {
    throw new InputError('registry', `"${value}" has a URL scheme`, {
      hint: `give the host only, e.g. ${value.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')}`,
    });
  }
  if (!registryHost.test(value)) {
    throw new InputError('registry', `"${value}" is not a registry host`, {
      hint: 'give a host[:port] such as ghcr.io, docker.io, 123456789012.dkr.ecr.us-east-1.amazonaws.com',
    });
  }
  return value === 'index.docker.io' || value === 'registry-1.docker.io' ? 'docker.io' : value;
}

function parseLogin(
  get: InputReader,
  environment: InputEnvironment,
  registry: string,
  githubToken: string,
): RegistryLogin | undefined {
  const username = get('username').trim() || environment.actor;
  const password = get('password').trim() || (registry === 'ghcr.io' ? githubToken : '');
  if (password === '') return undefined;
  if (username === '') {
    throw new InputError('username', `is empty, but a password for ${registry} is set`, {
      hint: 'set username to the account the password belongs to',
    });
  }
  return { username, password };
}

function defaultImage(registry: string, repository: string): string {
  if (!/^[^/]+\/[^/]+$/.test(repository)) {
    throw new InputError(
      'images',
      'is empty and GITHUB_REPOSITORY is not set, so there is no default image name',
      {
        hint: 'set images to the image name, e.g. ghcr.io/owner/app',
      },
    );
  }
  return `${registry}/${repository}`.toLowerCase();
}

function resolvePath(workspace: string, path: string): string {
  return isAbsolute(path) ? path : resolve(workspace, path);
}
