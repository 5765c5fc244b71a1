/**
 * A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution 2.8) on a free loopback port.
 *
 * Usage (each test file starts its own registry; startup takes well under a second):
 *
 *   const reg = await startRegistry({ auth: 'none' });        // or 'htpasswd' | 'token'
 *   afterAll(() => reg.stop());
 *   // reg.host      '127.0.0.1:PORT'  — use in image references: `${reg.host}/team/app:v1`
 *   // reg.url       'http://127.0.0.1:PORT' (https://… with `tls: true`)
 *   // reg.username / reg.password   — valid credentials for 'htpasswd' and 'token' modes
 *   // reg.tokenServer               — the token server ('token' mode): request log, configure()
 *   // reg.logs()                    — the registry's output so far (access log included), for diagnostics
 *   // reg.skopeoArgs()              — ['--tls-verify=false', '--creds=user:pass'] for skopeo inspect/delete
 *   // reg.skopeoArgs('src' | 'dest')— ['--src-tls-verify=false', '--src-creds=…'] for one side of skopeo copy
 *
 * Modes:
 * - `none`: anonymous push and pull.
 * - `htpasswd`: Basic auth against a bcrypt htpasswd file made with `htpasswd -B` (Debian `apache2-utils`).
 * - `token`: `auth: token`; a token server from ./token-server.ts on another loopback port signs ES256 JWTs
 *   with a throwaway certificate (./certs.ts, made with `openssl`) that is the registry's `rootcertbundle`.
 *   The default ACL gives `username` pull+push on every repository and anonymous nothing; pass `acl`,
 *   `users` and `tokenOptions` to shape 403 / insufficient-scope paths.
 * - `tls: true` (any mode): the registry serves HTTPS with a self-signed certificate for 127.0.0.1.
 * - `external: true` (`none` mode without TLS only): when IMAGE_BUILD_TEST_REGISTRY names a running registry
 *   (`host:port`, e.g. CI's `registry:2` service container), use it instead of starting one. It is shared by
 *   every such test file and outlives the run: use repository names of your own (not reused across runs).
 *   `stop()` leaves it running; `storageDir` is empty and `logs()` returns ''.
 *
 * The registry listens on 127.0.0.1:0; the harness reads the bound port from the registry's "listening on" log
 * line, then waits until `GET /v2/` answers. `stop()` kills the process, waits for it to exit and removes its
 * storage directory. `halt()` stops the process but keeps the storage; `resume()` starts it again on the same
 * address with the same storage (a registry restart, for fault tests). Requires on PATH: docker-registry, htpasswd (htpasswd mode), openssl (token/tls modes).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeCertificate, type TestCertificate } from './certs.js';
import {
  startTokenServer,
  type AclEntry,
  type TokenServer,
  type TokenServerOptions,
} from './token-server.js';

const run = promisify(execFile);

export type RegistryAuthMode = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions {
  readonly auth: RegistryAuthMode;
  readonly tls?: boolean;
  /** Extra users (name → password) besides the default one; htpasswd and token modes. */
  readonly users?: Readonly<Record<string, string>>;
  /** Token mode: the ACL (default: the default user may pull+push everything). */
  readonly acl?: readonly AclEntry[];
  /** Token mode: further token server options (expiresIn, strictScopes, refreshTokens, oauth…). */
  readonly tokenOptions?: Partial<TokenServerOptions>;
  /** Use the registry in IMAGE_BUILD_TEST_REGISTRY when it is set (`none` mode without TLS only). */
  readonly external?: boolean;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly tokenServer?: TokenServer;
  /** The TLS certificate when `tls` is set. */
  readonly certificate?: TestCertificate;
  readonly storageDir: string;
  logs(): string;
  /** skopeo flags for this registry: TLS verification off and the credentials, if any (`src`/`dest`: for copy). */
  skopeoArgs(side?: 'src' | 'dest'): string[];
  /** Stops the registry process (connections refused), keeping its storage. */
  halt(): Promise<void>;
  /** Starts a halted registry again on the same address and storage. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const defaultUser = 'tester';

export async function startRegistry(options: RegistryOptions): Promise<TestRegistry> {
  const external = process.env['IMAGE_BUILD_TEST_REGISTRY'];
  if (options.external && external && options.auth === 'none' && !options.tls)
    return externalRegistry(external);
  const dir = await mkdtemp(join(tmpdir(), 'ib-registry-'));
  const password = randomBytes(9).toString('base64url');
  const users = { [defaultUser]: password, ...(options.users ?? {}) };
  let tokenServer: TokenServer | undefined;
  let child: ChildProcess | undefined;
  try {
    const certificate = options.tls ? await tlsCertificate(dir) : undefined;
    const auth = await authSection(options, dir, users);
    tokenServer = auth.tokenServer;
    const configPath = join(dir, 'config.yml');
    const secret = randomBytes(16).toString('hex');
    await writeFile(
      configPath,
      JSON.stringify(registryConfig(dir, auth.section, certificate, undefined, secret), null, 2),
    );
    const started = await spawnRegistry(configPath);
    child = started.child;
    const scheme = certificate ? 'https' : 'http';
    const url = `${scheme}://${started.address}`;
    await waitForPing(url, started);
    const creds = options.auth === 'none' ? {} : { username: defaultUser, password };
    let proc = child;
    const server = tokenServer;
    return {
      host: started.address,
      url,
      ...creds,
      ...(server ? { tokenServer: server } : {}),
      ...(certificate ? { certificate } : {}),
      storageDir: join(dir, 'data'),
      logs: () => started.output.join(''),
      skopeoArgs: (side) => {
        const p = side ? `--${side}-` : '--';
        const creds = options.auth === 'none' ? [] : [`${p}creds=${defaultUser}:${password}`];
        return [`${p}tls-verify=false`, ...creds];
      },
      halt: () => stopProcess(proc),
      resume: async () => {
        const config = registryConfig(dir, auth.section, certificate, started.address, secret);
        await writeFile(configPath, JSON.stringify(config, null, 2));
        const again = await spawnRegistry(configPath);
        started.output.push(...again.output);
        proc = child = again.child;
        await waitForPing(url, again);
      },
      stop: async () => {
        await stopProcess(proc);
        await server?.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child) await stopProcess(child);
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A registry someone else runs (plain HTTP, anonymous): checked to answer, never stopped. */
async function externalRegistry(host: string): Promise<TestRegistry> {
  const url = `http://${host}`;
  if (!(await waitUntil(() => pingOnce(url))))
    throw new Error(`IMAGE_BUILD_TEST_REGISTRY ${host} never answered GET /v2/`);
  return {
    host,
    url,
    storageDir: '',
    logs: () => '',
    skopeoArgs: (side) => [side ? `--${side}-tls-verify=false` : '--tls-verify=false'],
    halt: async () => {
      throw new Error('an external registry cannot be halted');
    },
    resume: async () => undefined,
    stop: async () => undefined,
  };
}

interface AuthSetup {
  readonly section: object | undefined;
  readonly tokenServer?: TokenServer;
}

async function authSection(
  options: RegistryOptions,
  dir: string,
  users: Readonly<Record<string, string>>,
): Promise<AuthSetup> {
  switch (options.auth) {
    case 'none':
      return { section: undefined };
    case 'htpasswd': {
      const path = join(dir, 'htpasswd');
      const lines = await Promise.all(
        Object.entries(users).map(async ([u, p]) =>
          (await run('htpasswd', ['-nbB', '-C', '4', u, p])).stdout.trim(),
        ),
      );
      await writeFile(path, lines.join('\n') + '\n');
      return { section: { htpasswd: { realm: 'test-registry', path } } };
    }
    case 'token': {
      const certificate = await makeCertificate(dir, {
        commonName: 'test-token-issuer',
        name: 'token-signer',
      });
      const tokenServer = await startTokenServer({
        service: 'test-registry',
        issuer: 'test-token-issuer',
        certificate,
        users,
        acl: options.acl ?? [{ account: defaultUser, repository: '*', actions: ['pull', 'push', 'delete'] }],
        ...(options.tokenOptions ?? {}),
      });
      const section = {
        token: {
          realm: tokenServer.realm,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: certificate.certPath,
        },
      };
      return { section, tokenServer };
    }
  }
}

function registryConfig(
  dir: string,
  auth: object | undefined,
  tls: TestCertificate | undefined,
  address = '127.0.0.1:0',
  secret = randomBytes(16).toString('hex'),
): object {
  return {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: false }, formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: address,
      secret,
      ...(tls ? { tls: { certificate: tls.certPath, key: tls.keyPath } } : {}),
    },
    ...(auth ? { auth } : {}),
  };
}

async function tlsCertificate(dir: string): Promise<TestCertificate> {
  return makeCertificate(dir, {
    commonName: '127.0.0.1',
    name: 'tls',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
  });
}

interface StartedRegistry {
  readonly child: ChildProcess;
  readonly address: string;
  readonly output: string[];
}

/** Spawns the registry and resolves with the address from its "listening on" line. */
function spawnRegistry(configPath: string): Promise<StartedRegistry> {
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let settled = false;
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      const m = /listening on (?:\[::\]|[^ "]*?)?(127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (m && !settled) {
        settled = true;
        resolve({ child, address: m[1]!, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(new Error(`cannot start docker-registry: ${err.message}`));
      }
    });
    child.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`docker-registry exited with ${code}: ${output.join('').slice(-2000)}`));
      }
    });
  });
}

async function waitForPing(url: string, started: StartedRegistry): Promise<void> {
  if (await waitUntil(() => pingOnce(url))) return;
  throw new Error(`registry at ${url} never answered GET /v2/: ${started.output.join('').slice(-2000)}`);
}

/** Polls `check` every 25 ms, at most 200 times. */
async function waitUntil(check: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

function pingOnce(url: string): Promise<boolean> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(`${url}/v2/`, { method: 'GET', rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
