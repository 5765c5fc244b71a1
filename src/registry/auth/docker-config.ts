/**
 * Docker's `config.json`: `auths` (base64 `auth`, `username`/`password`, `identitytoken`, `registrytoken`),
 * `credHelpers` and `credsStore`. Keys are matched the way the Docker CLI does (`https://`/`http://` prefixes
 * and paths stripped), and Docker Hub's credentials live under `https://index.docker.io/v1/`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from '../../errors.js';
import type { Credentials } from './credentials.js';

export interface DockerAuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

export interface DockerConfig {
  readonly path: string;
  readonly auths: Readonly<Record<string, DockerAuthEntry>>;
  readonly credHelpers: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

export const dockerHubConfigKey = 'https://index.docker.io/v1/';
const dockerHubHosts = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Reads a config.json; a missing file is `undefined`, an unreadable or malformed one a RegistryError. */
export async function readDockerConfig(path: string, registry: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryError(`cannot read docker config ${path} (${(err as NodeJS.ErrnoException).code})`, {
      hint: 'check the file permissions',
      registry,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RegistryError(`docker config ${path} is not valid JSON`, {
      hint: 'fix the file or run docker login again',
      registry,
    });
  }
  const obj = (parsed ?? {}) as Record<string, unknown>;
  return {
    path,
    auths: isRecord(obj.auths) ? (obj.auths as Record<string, DockerAuthEntry>) : {},
    credHelpers: isRecord(obj.credHelpers) ? (obj.credHelpers as Record<string, string>) : {},
    ...(typeof obj.credsStore === 'string' && obj.credsStore !== '' ? { credsStore: obj.credsStore } : {}),
  };
}

/** The key Docker stores a registry's credentials under (and passes to credential helpers). */
export function dockerConfigKey(registry: string): string {
  return dockerHubHosts.has(registry.toLowerCase()) ? dockerHubConfigKey : registry;
}

/** Docker CLI's ConvertToHostname, plus Docker Hub's aliases folded into one. */
export function normalizeConfigKey(key: string): string {
  const host = key
    .trim()
    .replace(/^https?:\/\//i, '')
    .split('/', 1)[0]!
    .toLowerCase();
  return dockerHubHosts.has(host) ? 'docker.io' : host;
}

/** Finds the value for `registry` in a map keyed like config.json: exact key first, then normalised keys. */
export function lookupByRegistry<T>(map: Readonly<Record<string, T>>, registry: string): T | undefined {
  const exact = map[dockerConfigKey(registry)];
  if (exact !== undefined) return exact;
  const want = normalizeConfigKey(registry);
  for (const [k, v] of Object.entries(map)) if (normalizeConfigKey(k) === want) return v;
  return undefined;
}

/** The credential helper configured for a registry: `credHelpers` first, then `credsStore`. */
export function credentialHelperFor(config: DockerConfig, registry: string): string | undefined {
  const helper = lookupByRegistry(config.credHelpers, registry);
  if (typeof helper === 'string' && helper !== '') return helper;
  return config.credsStore;
}

/** Decodes an `auths` entry; undefined when it holds no credentials (e.g. `{}` next to a credsStore). */
export function credentialsFromEntry(
  entry: DockerAuthEntry,
  where: string,
  registry: string,
): Credentials | undefined {
  let username = entry.username;
  let password = entry.password;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new RegistryError(
        `the auth entry for ${registry} in ${where} is malformed (expected base64 of user:password)`,
        {
          hint: `run docker login ${registry} again`,
          registry,
        },
      );
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken) {
    return { kind: 'identity-token', token: entry.identitytoken, ...(username ? { username } : {}) };
  }
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken };
  if (username !== undefined && username !== '' && password !== undefined) {
    return { kind: 'basic', username, password };
  }
  return undefined;
}

function isRecord(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const dir = env['DOCKER_CONFIG'];
  return dir ? join(dir, 'config.json') : join(homeDir, '.docker', 'config.json');
}
