import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { sha256 } from '../../src/oci/digest.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { blobContent } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let reg: TestRegistry;
let dir: string;
const data = Buffer.from('basic auth blob');
const digest = sha256(data);
const clients: RegistryClient[] = [];
const loggers: MemoryLogger[] = [];

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd' });
  dir = await mkdtemp(join(tmpdir(), 'ib-auth-'));
  const c = client({ credentials: { username: reg.username!, password: reg.password! } });
  await c.uploadBlob('team/app', blobContent(data));
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  for (const l of loggers) expect(l.text()).not.toContain(reg.password!);
  await reg.stop();
  await rm(dir, { recursive: true, force: true });
});

function client(extra: Partial<RegistryClientOptions> = {}): RegistryClient {
  const logger = new MemoryLogger();
  loggers.push(logger);
  const c = new RegistryClient({ registry: reg.host, logger, sleep: async () => undefined, ...extra });
  clients.push(c);
  return c;
}

async function writeConfig(name: string, content: object): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(content));
  return path;
}

/** A real docker-credential-<name> script in its own PATH directory; it logs the server URL it was asked for. */
async function writeHelper(
  name: string,
  answers: Record<string, { user: string; secret: string }>,
): Promise<{ env: Record<string, string>; log: string }> {
  const bin = await mkdtemp(join(dir, 'bin-'));
  const log = join(bin, 'asked.log');
  const cases = Object.entries(answers)
    .map(
      ([server, a]) =>
        `  '${server}') printf '{"ServerURL":"%s","Username":"${a.user}","Secret":"${a.secret}"}' "$server" ;;`,
    )
    .join('\n');
  const script = `#!/bin/sh\n[ "$1" = get ] || exit 2\nread -r server\necho "$server" >> '${log}'\ncase "$server" in\n${cases}\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n`;
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return { env: { PATH: `${bin}:/usr/bin:/bin` }, log };
}

async function errorOf(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    const e = err as RegistryError;
    expect(e.userMessage()).not.toContain(reg.password!);
    return e;
  }
  throw new Error('expected a RegistryError');
}

describe('htpasswd (Basic) registry', () => {
  test('explicit credentials push and pull', async () => {
    expect(
      await client({ credentials: { username: reg.username!, password: reg.password! } }).blobExists(
        'team/app',
        digest,
      ),
    ).toBe(true);
  });

  test('anonymous is refused with a clear error', async () => {
    const err = await errorOf(client().getManifest('team/app', 'v1'));
    expect(err.userMessage()).toBe(
      `pull of ${reg.host}/team/app:v1 failed: authentication required (401 UNAUTHORIZED) — check the username/password for ${reg.host} or run docker login`,
    );
    expect(err.status).toBe(401);
  });

  test('a wrong password is refused with a clear error', async () => {
    const c = client({ credentials: { username: reg.username!, password: 'wrong' } });
    const err = await errorOf(c.uploadBlob('team/app', blobContent(Buffer.from('x'))));
    expect(err.userMessage()).toBe(
      `push to ${reg.host}/team/app failed: credentials rejected (401 UNAUTHORIZED) — check the username/password for ${reg.host} or run docker login`,
    );
  });

  interface ConfigCase {
    readonly name: string;
    readonly given: (host: string, user: string, pass: string) => object;
  }
  const configs: ConfigCase[] = [
    {
      name: 'auths with base64 auth',
      given: (h, u, p) => ({ auths: { [h]: { auth: Buffer.from(`${u}:${p}`).toString('base64') } } }),
    },
    {
      name: 'auths with username/password',
      given: (h, u, p) => ({ auths: { [h]: { username: u, password: p } } }),
    },
    {
      name: 'auths keyed by an http URL',
      given: (h, u, p) => ({ auths: { [`http://${h}/v2/`]: { username: u, password: p } } }),
    },
  ];
  test.each(configs)('docker config: $name', async ({ name, given }) => {
    const path = await writeConfig(
      `${name.replace(/\W/g, '_')}.json`,
      given(reg.host, reg.username!, reg.password!),
    );
    const logger = new MemoryLogger();
    loggers.push(logger);
    const c = new RegistryClient({ registry: reg.host, logger, dockerConfigPath: path });
    clients.push(c);
    expect(await c.blobExists('team/app', digest)).toBe(true);
    expect(logger.text('debug')).toContain(`basic credentials from docker config ${path}`);
  });

  test('explicit credentials win over the docker config', async () => {
    const path = await writeConfig('stale.json', {
      auths: { [reg.host]: { username: reg.username, password: 'stale' } },
    });
    const c = client({
      dockerConfigPath: path,
      credentials: { username: reg.username!, password: reg.password! },
    });
    expect(await c.blobExists('team/app', digest)).toBe(true);
  });

  test('credHelpers runs docker-credential-<name> get with the server on stdin', async () => {
    const helper = await writeHelper('testhelper', {
      [reg.host]: { user: reg.username!, secret: reg.password! },
    });
    const path = await writeConfig('helpers.json', {
      credHelpers: { [reg.host]: 'testhelper' },
      auths: { [reg.host]: {} },
    });
    const c = client({ dockerConfigPath: path, helperEnv: helper.env });
    expect(await c.blobExists('team/app', digest)).toBe(true);
    expect((await readFile(helper.log, 'utf8')).trim()).toBe(reg.host);
  });

  test('credsStore answering "credentials not found" leaves the client anonymous', async () => {
    const helper = await writeHelper('emptystore', {});
    const path = await writeConfig('store.json', { credsStore: 'emptystore' });
    const err = await errorOf(
      client({ dockerConfigPath: path, helperEnv: helper.env }).getManifest('team/app', 'v1'),
    );
    expect(err.userMessage()).toMatch(/authentication required \(401 UNAUTHORIZED\)/);
  });

  test('credsStore without credentials falls back to auths', async () => {
    const helper = await writeHelper('emptystore2', {});
    const path = await writeConfig('store-auths.json', {
      credsStore: 'emptystore2',
      auths: { [reg.host]: { username: reg.username, password: reg.password } },
    });
    expect(
      await client({ dockerConfigPath: path, helperEnv: helper.env }).blobExists('team/app', digest),
    ).toBe(true);
  });

  test('a failing helper is a clear error quoting its first line', async () => {
    const bin = await mkdtemp(join(dir, 'bin-'));
    const helper = join(bin, 'docker-credential-broken');
    await writeFile(helper, '#!/bin/sh\necho "error: keychain locked" >&2\necho "more detail" >&2\nexit 3\n');
    await chmod(helper, 0o755);
    const path = await writeConfig('broken-helper.json', { credHelpers: { [reg.host]: 'broken' } });
    const err = await errorOf(
      client({ dockerConfigPath: path, helperEnv: { PATH: bin } }).blobExists('team/app', digest),
    );
    expect(err.userMessage()).toBe(
      `credential helper docker-credential-broken failed for ${reg.host}: error: keychain locked — check that \`echo ${reg.host} | docker-credential-broken get\` works`,
    );
  });

  test('a missing helper is a clear error', async () => {
    const path = await writeConfig('missing-helper.json', { credHelpers: { [reg.host]: 'nosuchhelper' } });
    const err = await errorOf(
      client({ dockerConfigPath: path, helperEnv: { PATH: dir } }).blobExists('team/app', digest),
    );
    expect(err.userMessage()).toBe(
      `credential helper docker-credential-nosuchhelper for ${reg.host} could not be run (ENOENT) — install docker-credential-nosuchhelper or remove it from the docker config`,
    );
  });
});
