import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { sha256 } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { blobContent, makeTestImage } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let reg: TestRegistry;
let dir: string;
const clients: RegistryClient[] = [];
const loggers: MemoryLogger[] = [];
const readerPassword = 'reader-pass';
const base = Buffer.from('base layer in team/base');

beforeAll(async () => {
  reg = await startRegistry({
    auth: 'token',
    users: { reader: readerPassword, pusher: 'pusher-pass' },
    acl: [
      { account: 'tester', repository: '*', actions: ['pull', 'push', 'delete'] },
      { account: 'reader', repository: 'team/', actions: [] },
      { account: 'reader', repository: 'team/*', actions: ['pull'] },
      { account: 'pusher', repository: 'pushonly/*', actions: ['pull', 'push'] },
    ],
    tokenOptions: { refreshTokens: { 'identity-token-1': 'tester' } },
  });
  dir = await mkdtemp(join(tmpdir(), 'ib-token-'));
  await client({ credentials: { username: reg.username!, password: reg.password! } }).uploadBlob(
    'team/base',
    blobContent(base),
  );
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  for (const l of loggers) {
    expect(l.text()).not.toContain(reg.password!);
    expect(l.text()).not.toContain('identity-token-1');
  }
  await reg.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  reg.tokenServer!.requests.splice(0);
  reg.tokenServer!.configure({
    expiresIn: 300,
    strictScopes: false,
    oauth: 'supported',
    rotateRefreshTokens: false,
    refreshTokens: { 'identity-token-1': 'tester' },
  });
});

function client(extra: Partial<RegistryClientOptions> = {}): RegistryClient {
  const logger = new MemoryLogger();
  loggers.push(logger);
  const c = new RegistryClient({ registry: reg.host, logger, sleep: async () => undefined, ...extra });
  clients.push(c);
  return c;
}

const tester = (): RegistryClientOptions['credentials'] => ({
  username: reg.username!,
  password: reg.password!,
});

async function errorOf(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return err as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

describe('token registry', () => {
  test('anonymous is refused with a clear error', async () => {
    const err = await errorOf(client().getManifest('team/app', 'v1'));
    expect(err.userMessage()).toBe(
      `pull of ${reg.host}/team/app:v1 failed: authentication required (401 UNAUTHORIZED) — check the username/password for ${reg.host} or run docker login`,
    );
  });

  test('a wrong password is refused by the token service with a clear error', async () => {
    const c = client({ credentials: { username: 'tester', password: 'nope' } });
    const err = await errorOf(c.uploadBlob('team/app', blobContent(Buffer.from('x'))));
    expect(err.userMessage()).toBe(
      `push to ${reg.host}/team/app failed: credentials rejected (401 UNAUTHORIZED) — check the username/password for ${reg.host} or run docker login`,
    );
    expect(reg.tokenServer!.requests.map((r) => r.status)).toEqual([401]);
  });

  test('one push-scoped token serves a whole push and later pulls', async () => {
    const c = client({ credentials: tester() });
    const img = makeTestImage({ layerSizes: [100, 200] });
    const access = { push: true };
    for (const b of [...img.layers.map((l) => l.blob), img.config]) {
      if (!(await c.blobExists('team/app', sha256(b), access)))
        await c.uploadBlob('team/app', blobContent(b), access);
    }
    await c.putManifest('team/app', 'v1', img.manifest, MediaType.ociManifest);
    await c.getManifest('team/app', 'v1');
    expect(reg.tokenServer!.requests).toEqual([
      { method: 'GET', account: 'tester', scopes: ['repository:team/app:pull,push'], status: 200 },
    ]);
  });

  interface ExpiryCase {
    readonly name: string;
    readonly given: { readonly expiresIn: number | null };
    /** Seconds after the first request: still reused at `reusedAt`, refreshed at `refreshedAt`. */
    readonly want: { readonly reusedAt: number; readonly refreshedAt: number };
  }
  const expiries: ExpiryCase[] = [
    {
      name: '90 s: reused until 30 s before expiry',
      given: { expiresIn: 90 },
      want: { reusedAt: 59, refreshedAt: 61 },
    },
    {
      name: 'no expires_in: 60 s by default',
      given: { expiresIn: null },
      want: { reusedAt: 29, refreshedAt: 31 },
    },
    {
      name: 'short 10 s: refreshed at half its life',
      given: { expiresIn: 10 },
      want: { reusedAt: 4, refreshedAt: 6 },
    },
  ];
  test.each(expiries)('token expiry: $name', async ({ given, want }) => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    let now = start;
    const c = client({ credentials: tester(), clock: { now: () => new Date(now) } });
    reg.tokenServer!.configure({ expiresIn: given.expiresIn });
    await c.blobExists('team/base', sha256(base));
    now = start + want.reusedAt * 1000;
    await c.blobExists('team/base', sha256(base));
    expect(reg.tokenServer!.requests).toHaveLength(1);
    now = start + want.refreshedAt * 1000;
    await c.blobExists('team/base', sha256(base));
    expect(reg.tokenServer!.requests).toHaveLength(2);
  });

  test('insufficient scope: one re-request, then "access denied"', async () => {
    const c = client({ credentials: { username: 'reader', password: readerPassword } });
    expect(await c.blobExists('team/base', sha256(base))).toBe(true);
    const err = await errorOf(c.uploadBlob('team/base', blobContent(Buffer.from('denied'))));
    expect(err.userMessage()).toBe(
      `push to ${reg.host}/team/base failed: access denied (401 UNAUTHORIZED) — check that your credentials for ${reg.host} may push to team/base`,
    );
    const pushTokens = reg.tokenServer!.requests.filter((r) => r.scopes.some((s) => s.endsWith('pull,push')));
    expect(pushTokens).toHaveLength(2);
  });

  test('a token service refusing the repository outright: 403 access denied', async () => {
    reg.tokenServer!.configure({ strictScopes: true });
    const c = client({ credentials: { username: 'pusher', password: 'pusher-pass' } });
    const err = await errorOf(c.getManifest('team/base', 'v1'));
    expect(err.userMessage()).toBe(
      `pull of ${reg.host}/team/base:v1 failed: access denied (403 DENIED) — check that your credentials for ${reg.host} may pull team/base`,
    );
    expect(err.status).toBe(403);
  });

  test('mount: the token asks for push on the target first, then pull on the source; 201 mounted', async () => {
    const c = client({ credentials: tester() });
    expect(await c.mountBlob('team/other', sha256(base), 'team/base')).toEqual({ kind: 'mounted' });
    expect(reg.tokenServer!.requests[0]!.scopes).toEqual([
      'repository:team/other:pull,push',
      'repository:team/base:pull',
    ]);
  });

  test('mount source refused by a strict token service: token without it, plain upload', async () => {
    reg.tokenServer!.configure({ strictScopes: true });
    const c = client({ credentials: { username: 'pusher', password: 'pusher-pass' } });
    const res = await c.mountBlob('pushonly/app', sha256(base), 'team/base');
    expect(res.kind).toBe('session');
    if (res.kind === 'session') await c.uploadBlob('pushonly/app', blobContent(base), {}, res.location);
    expect(await c.blobExists('pushonly/app', sha256(base))).toBe(true);
    expect(reg.tokenServer!.requests.map((r) => [r.scopes.join(' '), r.status])).toEqual([
      ['repository:pushonly/app:pull,push repository:team/base:pull', 403],
      ['repository:pushonly/app:pull,push', 200],
    ]);
  });

  test('identity token from the docker config: OAuth2 refresh_token grant by POST', async () => {
    const path = join(dir, 'identity.json');
    await writeFile(path, JSON.stringify({ auths: { [reg.host]: { identitytoken: 'identity-token-1' } } }));
    expect(await client({ dockerConfigPath: path }).blobExists('team/base', sha256(base))).toBe(true);
    expect(reg.tokenServer!.requests).toEqual([
      {
        method: 'POST',
        account: 'tester',
        scopes: ['repository:team/base:pull'],
        status: 200,
        grantType: 'refresh_token',
        refreshToken: 'identity-token-1',
      },
    ]);
  });

  test('a rotated refresh token is used for the next token request', async () => {
    reg.tokenServer!.configure({
      rotateRefreshTokens: true,
      refreshTokens: { 'identity-token-2': 'tester' },
    });
    const path = join(dir, 'identity-rotate.json');
    await writeFile(path, JSON.stringify({ auths: { [reg.host]: { identitytoken: 'identity-token-2' } } }));
    const c = client({ dockerConfigPath: path });
    expect(await c.blobExists('team/base', sha256(base))).toBe(true);
    expect(await c.blobExists('team/other', sha256(base))).toBe(true);
    expect(reg.tokenServer!.requests.map((r) => [r.refreshToken, r.status])).toEqual([
      ['identity-token-2', 200],
      ['identity-token-2-r1', 200],
    ]);
  });

  test('identity token where POST is 404: falls back to GET', async () => {
    reg.tokenServer!.configure({ oauth: 'not-found' });
    const path = join(dir, 'identity-get.json');
    await writeFile(path, JSON.stringify({ auths: { [reg.host]: { identitytoken: 'identity-token-1' } } }));
    expect(await client({ dockerConfigPath: path }).blobExists('team/base', sha256(base))).toBe(true);
    expect(reg.tokenServer!.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 404],
      ['GET', 200],
    ]);
  });

  test.each([
    { name: 'only "token"', given: 'token' as const },
    { name: 'only "access_token"', given: 'access_token' as const },
  ])('token response with $name', async ({ given }) => {
    reg.tokenServer!.configure({ tokenField: given });
    try {
      expect(await client({ credentials: tester() }).blobExists('team/base', sha256(base))).toBe(true);
    } finally {
      reg.tokenServer!.configure({ tokenField: 'both' });
    }
  });

  test('a registry token from the docker config is sent as is', async () => {
    const basic = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
    const res = await fetch(
      `${reg.tokenServer!.realm}?service=test-registry&scope=repository:team/base:pull`,
      {
        headers: { authorization: `Basic ${basic}` },
      },
    );
    const { token } = (await res.json()) as { token: string };
    reg.tokenServer!.requests.splice(0);
    const path = join(dir, 'registrytoken.json');
    await writeFile(path, JSON.stringify({ auths: { [reg.host]: { registrytoken: token } } }));
    expect(await client({ dockerConfigPath: path }).blobExists('team/base', sha256(base))).toBe(true);
    expect(reg.tokenServer!.requests).toHaveLength(0);
  });
});
