import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistryError } from '../../src/errors.js';
import {
  credentialHelperFor,
  credentialsFromEntry,
  dockerConfigKey,
  lookupByRegistry,
  readDockerConfig,
  type DockerAuthEntry,
  type DockerConfig,
} from '../../src/registry/auth/docker-config.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('docker config keys', () => {
  test.each([
    { name: 'Docker Hub uses the legacy index URL', given: 'docker.io', want: 'https://index.docker.io/v1/' },
    { name: 'other registries use their host', given: 'ghcr.io', want: 'ghcr.io' },
    { name: 'ports are kept', given: '127.0.0.1:5000', want: '127.0.0.1:5000' },
  ])('dockerConfigKey: $name', ({ given, want }) => {
    expect(dockerConfigKey(given)).toBe(want);
  });

  interface LookupCase {
    readonly name: string;
    readonly given: { readonly keys: readonly string[]; readonly registry: string };
    readonly want: string | undefined;
  }
  const lookups: LookupCase[] = [
    {
      name: 'exact Docker Hub key',
      given: { keys: ['https://index.docker.io/v1/'], registry: 'docker.io' },
      want: 'https://index.docker.io/v1/',
    },
    {
      name: 'Docker Hub under a bare alias',
      given: { keys: ['index.docker.io'], registry: 'docker.io' },
      want: 'index.docker.io',
    },
    {
      name: 'Docker Hub under registry-1',
      given: { keys: ['https://registry-1.docker.io/v2/'], registry: 'docker.io' },
      want: 'https://registry-1.docker.io/v2/',
    },
    { name: 'plain host', given: { keys: ['ghcr.io'], registry: 'ghcr.io' }, want: 'ghcr.io' },
    {
      name: 'host written as URL with path',
      given: { keys: ['https://ghcr.io/v1/'], registry: 'ghcr.io' },
      want: 'https://ghcr.io/v1/',
    },
    {
      name: 'http URL with port',
      given: { keys: ['http://127.0.0.1:5000'], registry: '127.0.0.1:5000' },
      want: 'http://127.0.0.1:5000',
    },
    { name: 'case-insensitive host', given: { keys: ['GHCR.io'], registry: 'ghcr.io' }, want: 'GHCR.io' },
    {
      name: 'exact key wins over an alias',
      given: { keys: ['ghcr.io:443', 'ghcr.io'], registry: 'ghcr.io' },
      want: 'ghcr.io',
    },
    {
      name: 'another port does not match',
      given: { keys: ['127.0.0.1:5001'], registry: '127.0.0.1:5000' },
      want: undefined,
    },
    {
      name: 'another host does not match',
      given: { keys: ['quay.io'], registry: 'ghcr.io' },
      want: undefined,
    },
  ];
  test.each(lookups)('lookupByRegistry: $name', ({ given, want }) => {
    const map = Object.fromEntries(given.keys.map((k) => [k, k]));
    expect(lookupByRegistry(map, given.registry)).toBe(want);
  });
});

interface EntryCase {
  readonly name: string;
  readonly given: DockerAuthEntry;
  readonly want: unknown;
}

const entries: EntryCase[] = [
  {
    name: 'base64 auth',
    given: { auth: b64('alice:s3cr:et') },
    want: { kind: 'basic', username: 'alice', password: 's3cr:et' },
  },
  {
    name: 'username and password fields',
    given: { username: 'bob', password: 'pw' },
    want: { kind: 'basic', username: 'bob', password: 'pw' },
  },
  {
    name: 'identity token (with the user from auth)',
    given: { auth: b64('carol:'), identitytoken: 'refresh-1' },
    want: { kind: 'identity-token', token: 'refresh-1', username: 'carol' },
  },
  {
    name: 'registry token',
    given: { registrytoken: 'bearer-1' },
    want: { kind: 'registry-token', token: 'bearer-1' },
  },
  { name: 'empty entry (next to a credsStore)', given: {}, want: undefined },
  { name: 'empty auth string', given: { auth: '' }, want: undefined },
];

describe('credentialsFromEntry', () => {
  test.each(entries)('$name', ({ given, want }) => {
    expect(credentialsFromEntry(given, '/cfg.json', 'ghcr.io')).toEqual(want);
  });

  test('malformed auth is a clear error without the secret', () => {
    const entry = { auth: b64('no-colon-secret') };
    expect(() => credentialsFromEntry(entry, '/cfg.json', 'ghcr.io')).toThrow(
      /the auth entry for ghcr.io in \/cfg.json is malformed \(expected base64 of user:password\)/,
    );
    try {
      credentialsFromEntry(entry, '/cfg.json', 'ghcr.io');
    } catch (err) {
      expect((err as RegistryError).userMessage()).not.toContain('no-colon-secret');
    }
  });
});

describe('credential helper choice', () => {
  const config: DockerConfig = {
    path: '/c',
    auths: {},
    credHelpers: { 'ghcr.io': 'gh', 'https://index.docker.io/v1/': 'hub' },
    credsStore: 'desktop',
  };
  test.each([
    { name: 'credHelpers entry', given: 'ghcr.io', want: 'gh' },
    { name: 'credHelpers for Docker Hub', given: 'docker.io', want: 'hub' },
    { name: 'credsStore otherwise', given: 'quay.io', want: 'desktop' },
  ])('$name', ({ given, want }) => {
    expect(credentialHelperFor(config, given)).toBe(want);
  });
  test('no helper at all', () => {
    expect(credentialHelperFor({ path: '/c', auths: {}, credHelpers: {} }, 'quay.io')).toBeUndefined();
  });
});

describe('readDockerConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ib-dockercfg-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('a missing file is no config', async () => {
    expect(await readDockerConfig(join(dir, 'absent.json'), 'ghcr.io')).toBeUndefined();
  });
  test('invalid JSON is a clear error', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"auths": {');
    await expect(readDockerConfig(path, 'ghcr.io')).rejects.toThrow(
      `docker config ${path} is not valid JSON`,
    );
  });
  test('reads auths, credHelpers and credsStore', async () => {
    const path = join(dir, 'config.json');
    await writeFile(
      path,
      JSON.stringify({
        auths: { 'ghcr.io': { auth: b64('a:b') } },
        credHelpers: { 'x.io': 'y' },
        credsStore: 'z',
      }),
    );
    expect(await readDockerConfig(path, 'ghcr.io')).toEqual({
      path,
      auths: { 'ghcr.io': { auth: b64('a:b') } },
      credHelpers: { 'x.io': 'y' },
      credsStore: 'z',
    });
  });
});
