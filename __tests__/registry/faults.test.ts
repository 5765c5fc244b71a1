import { Readable } from 'node:stream';
import { RegistryError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { sha256 } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { RegistryClient } from '../../src/registry/client.js';
import {
  isBlobGet,
  isBlobHead,
  isBlobPut,
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type ProxyLogEntry,
  type ProxyRequestInfo,
} from '../helpers/registry-fault-proxy.js';
import { blobContent, makeTestImage } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let reg: TestRegistry;
let proxy: FaultProxy;
let client: RegistryClient;
let logger: MemoryLogger;
let sleeps: number[];
const img = makeTestImage({ layerSizes: [3000] });

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd' });
  const basic = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
  proxy = await startFaultProxy({ target: reg.url, altAuthorization: basic });
  const c = newClient();
  for (const b of [...img.layers.map((l) => l.blob), img.config])
    await c.uploadBlob('team/app', blobContent(b));
  await c.putManifest('team/app', 'v1', img.manifest, MediaType.ociManifest);
  c.close();
});
afterAll(async () => {
  await proxy.stop();
  await reg.stop();
});
beforeEach(() => {
  proxy.clearRules();
  sleeps = [];
  client = newClient();
});
afterEach(() => client.close());

function newClient(): RegistryClient {
  logger = new MemoryLogger();
  return new RegistryClient({
    registry: proxy.host,
    logger,
    credentials: { username: reg.username!, password: reg.password! },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });
}

function since(n: number): ProxyLogEntry[] {
  return proxy.log.slice(n).filter((e) => e.side === 'main' && e.status !== 401);
}

const manifestGet = (r: ProxyRequestInfo): boolean => r.method === 'GET' && r.path.endsWith('/manifests/v1');

interface RetryCase {
  readonly name: string;
  readonly given: {
    readonly match: (r: ProxyRequestInfo) => boolean;
    readonly fault: Fault;
    readonly times: number;
  };
  readonly want: { readonly sleeps: readonly number[]; readonly log: RegExp };
}

const httpDate = new Date(Date.now() + 3_000).toUTCString();
const retries: RetryCase[] = [
  {
    name: '429 with Retry-After seconds',
    given: {
      match: manifestGet,
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      times: 1,
    },
    want: {
      sleeps: [2000],
      log: /retrying GET \/v2\/team\/app\/manifests\/v1 after 429 TOOMANYREQUESTS \(attempt 2\/5, waiting 2\.0 s\)/,
    },
  },
  {
    name: '503 twice: exponential backoff',
    given: { match: manifestGet, fault: { kind: 'status', status: 503 }, times: 2 },
    want: { sleeps: [500, 1000], log: /after 503 \(attempt 3\/5, waiting 1\.0 s\)/ },
  },
  {
    name: 'connection reset',
    given: { match: manifestGet, fault: { kind: 'reset' }, times: 1 },
    want: { sleeps: [500], log: /after ECONNRESET/ },
  },
  {
    name: '408 request timeout',
    given: { match: manifestGet, fault: { kind: 'status', status: 408 }, times: 1 },
    want: { sleeps: [500], log: /after 408/ },
  },
];

describe('retries through a fault proxy in front of a real registry', () => {
  test.each(retries)('$name', async ({ given, want }) => {
    proxy.addRule({ match: given.match, fault: given.fault, times: given.times });
    const m = await client.getManifest('team/app', 'v1');
    expect(m.digest).toBe(img.descriptor.digest);
    expect(sleeps).toEqual(want.sleeps);
    expect(logger.text('debug')).toMatch(want.log);
  });

  test('a response that never comes times out and is retried', async () => {
    const impatient = new RegistryClient({
      registry: proxy.host,
      logger,
      credentials: { username: reg.username!, password: reg.password! },
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      timeoutMs: 300,
    });
    try {
      await impatient.ping();
      proxy.addRule({ match: manifestGet, fault: { kind: 'delay', ms: 3_000 }, times: 1 });
      expect((await impatient.getManifest('team/app', 'v1')).digest).toBe(img.descriptor.digest);
      expect(logger.text('debug')).toMatch(/retrying GET \/v2\/team\/app\/manifests\/v1 after ETIMEDOUT/);
    } finally {
      impatient.close();
    }
  });

  test('Retry-After as an HTTP date', async () => {
    proxy.addRule({
      match: manifestGet,
      fault: { kind: 'status', status: 503, headers: { 'retry-after': httpDate } },
      times: 1,
    });
    await client.getManifest('team/app', 'v1');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(3_000);
  });

  test('attempts are bounded and the last error is reported', async () => {
    proxy.addRule({
      match: manifestGet,
      fault: { kind: 'status', status: 503, body: '<html>bad gateway</html>' },
    });
    const before = proxy.log.length;
    const err = await client.getManifest('team/app', 'v1').catch((e: unknown) => e as RegistryError);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).userMessage()).toBe(
      `pull of ${proxy.host}/team/app:v1 failed: registry error (503) — ${proxy.host} is having trouble; retry later`,
    );
    expect(since(before).filter((e) => manifestGet(e as ProxyRequestInfo))).toHaveLength(5);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  test('a blob upload interrupted by a reset restarts from a fresh POST', async () => {
    const data = Buffer.from('x'.repeat(100_000));
    proxy.addRule({ match: isBlobPut, fault: { kind: 'reset' }, times: 1 });
    const before = proxy.log.length;
    await client.uploadBlob('team/app', blobContent(data));
    expect(since(before).map((e) => `${e.method} ${e.status}`)).toEqual([
      'POST 202',
      'PUT reset',
      'POST 202',
      'PUT 201',
    ]);
    expect(await client.blobExists('team/app', sha256(data))).toBe(true);
  });

  test('a blob upload whose body cannot be re-opened is not retried', async () => {
    const data = Buffer.from('one shot');
    proxy.addRule({ match: isBlobPut, fault: { kind: 'status', status: 503 }, times: 1 });
    const before = proxy.log.length;
    const once = {
      digest: sha256(data),
      size: data.length,
      open: () => Readable.from([data]),
      reopenable: false,
    };
    await expect(client.uploadBlob('team/app', once)).rejects.toThrow(/registry error \(503\)/);
    expect(since(before).filter((e) => e.method === 'PUT')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('HEAD answering anything but 200/404 means "unknown": upload', async () => {
    proxy.addRule({ match: isBlobHead, fault: { kind: 'status', status: 400 } });
    expect(await client.blobExists('team/app', img.layers[0]!.descriptor.digest)).toBe(false);
    expect(logger.text('debug')).toMatch(/answered 400: uploading/);
  });
});

describe('upload fallback when the registry rejects a monolithic PUT', () => {
  test('POST → PATCH (no Content-Range) → PUT, remembered for later blobs', async () => {
    proxy.addRule({
      match: (r) => isBlobPut(r) && r.headers['content-length'] !== '0',
      fault: { kind: 'status', status: 405 },
    });
    const first = Buffer.from('first chunked blob');
    const second = Buffer.from('second chunked blob');
    const before = proxy.log.length;
    await client.uploadBlob('team/chunked', blobContent(first));
    const mid = proxy.log.length;
    await client.uploadBlob('team/chunked', blobContent(second));
    expect(
      since(before)
        .slice(0, 5)
        .map((e) => `${e.method} ${e.status}`),
    ).toEqual(['POST 202', 'PUT 405', 'POST 202', 'PATCH 202', 'PUT 201']);
    const patch = since(before).find((e) => e.method === 'PATCH')!;
    expect(patch.headers['content-range']).toBeUndefined();
    expect(patch.headers['content-length']).toBe(String(first.length));
    expect(since(mid).map((e) => `${e.method} ${e.status}`)).toEqual(['POST 202', 'PATCH 202', 'PUT 201']);
    for (const d of [first, second]) {
      expect(await readAll(await client.fetchBlob('team/chunked', sha256(d)))).toEqual(d);
    }
  });
});

describe('downloads', () => {
  test('a redirect to another origin is followed without the Authorization header', async () => {
    const layer = img.layers[0]!;
    proxy.addRule({ match: isBlobGet, fault: { kind: 'redirect' }, times: 1 });
    const before = proxy.log.length;
    const got = await readAll(
      await client.fetchBlob('team/app', layer.descriptor.digest, layer.descriptor.size),
    );
    expect(got.equals(layer.blob)).toBe(true);
    const hops = proxy.log.slice(before).filter((e) => e.path.includes('/blobs/'));
    expect(hops.map((e) => [e.side, e.status, e.authorization])).toEqual([
      ['main', 307, true],
      ['alt', 200, false],
    ]);
  });

  test('a corrupted blob fails digest verification', async () => {
    const layer = img.layers[0]!;
    proxy.addRule({ match: isBlobGet, fault: { kind: 'corrupt-body' }, times: 1 });
    const stream = await client.fetchBlob('team/app', layer.descriptor.digest, layer.descriptor.size);
    const err = await readAll(stream).catch((e: unknown) => e as RegistryError);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).userMessage()).toMatch(
      new RegExp(
        `^pull of ${proxy.host}/team/app failed: blob ${layer.descriptor.digest} arrived as content with digest sha256:[0-9a-f]{64} — the registry or a proxy corrupted the download; retry the pull$`,
      ),
    );
  });
});

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
