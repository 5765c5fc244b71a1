import { createServer } from 'node:net';
import { RegistryError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { sha256, type Digest } from '../../src/oci/digest.js';
import { MediaType, manifestMediaTypes } from '../../src/oci/media-types.js';
import { RegistryClient } from '../../src/registry/client.js';
import {
  isUploadStart,
  startFaultProxy,
  type Fault,
  type FaultProxy,
} from '../helpers/registry-fault-proxy.js';
import { blobContent, makeTestImage, type TestImage } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let reg: TestRegistry;
let proxy: FaultProxy;
let client: RegistryClient;
let logger: MemoryLogger;

beforeAll(async () => {
  reg = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({ target: reg.url });
});
afterAll(async () => {
  await proxy.stop();
  await reg.stop();
});
beforeEach(() => {
  logger = new MemoryLogger();
  client = new RegistryClient({ registry: proxy.host, logger, sleep: async () => undefined });
  proxy.clearRules();
});
afterEach(() => client.close());

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function pushImage(repo: string, img: TestImage, tag: string): Promise<Digest> {
  for (const l of img.layers) await client.uploadBlob(repo, blobContent(l.blob));
  await client.uploadBlob(repo, blobContent(img.config));
  return client.putManifest(repo, tag, img.manifest, img.descriptor.mediaType);
}

async function failureOf(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return err as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

describe('RegistryClient against a real registry', () => {
  test('ping falls back from https to http for a loopback registry', async () => {
    await client.ping();
    expect(logger.text('debug')).toMatch(/https failed \(EPROTO\); trying the next scheme/);
    expect(logger.text('debug')).toMatch(new RegExp(`using http://${proxy.host}`));
  });

  test('blob: HEAD absent, upload with one monolithic PUT, HEAD present, verified download', async () => {
    const data = Buffer.from('the quick brown fox');
    const digest = sha256(data);
    expect(await client.blobExists('team/blobs', digest)).toBe(false);
    const before = proxy.log.length;
    await client.uploadBlob('team/blobs', blobContent(data));
    const upload = proxy.log.slice(before);
    expect(upload.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 202', 'PUT 201']);
    const put = upload[1]!;
    expect(put.path).toMatch(/_state=.*&digest=sha256%3A/);
    expect(put.headers['content-length']).toBe(String(data.length));
    expect(put.headers['transfer-encoding']).toBeUndefined();
    expect(await client.blobExists('team/blobs', digest)).toBe(true);
    expect((await readAll(await client.fetchBlob('team/blobs', digest, data.length))).toString()).toBe(
      'the quick brown fox',
    );
  });

  test('a relative upload Location is resolved against the request URL', async () => {
    const data = Buffer.from('relative location');
    proxy.addRule({ match: isUploadStart, fault: { kind: 'relative-location' }, times: 1 });
    const before = proxy.log.length;
    await client.uploadBlob('team/blobs', blobContent(data));
    expect(
      proxy.log
        .slice(before)
        .filter((e) => e.path !== '/v2/')
        .map((e) => `${e.method} ${e.status} ${e.fault ?? ''}`.trim()),
    ).toEqual(['POST 202 relative-location', 'PUT 201']);
    expect(await client.blobExists('team/blobs', sha256(data))).toBe(true);
  });

  test('manifest: PUT by tag, HEAD, GET by tag and by digest give the same bytes and media type', async () => {
    const img = makeTestImage();
    const digest = await pushImage('team/app', img, 'v1');
    expect(digest).toBe(img.descriptor.digest);
    expect(await client.headManifest('team/app', 'v1')).toEqual({
      digest,
      mediaType: MediaType.ociManifest,
      size: img.manifest.length,
    });
    const byTag = await client.getManifest('team/app', 'v1');
    const byDigest = await client.getManifest('team/app', digest);
    for (const m of [byTag, byDigest]) {
      expect(m.bytes.equals(img.manifest)).toBe(true);
      expect(m.mediaType).toBe(MediaType.ociManifest);
      expect(m.digest).toBe(digest);
    }
    const get = proxy.log.filter((e) => e.method === 'GET' && e.path.includes('/manifests/')).at(-1)!;
    expect(String(get.headers.accept).split(', ')).toEqual(manifestMediaTypes);
    expect(await client.headManifest('team/app', 'missing')).toBeUndefined();
  });

  test('listTags reads all tags (distribution 2.8 answers in one page)', async () => {
    const img = makeTestImage({ layerSizes: [10] });
    await pushImage('team/tags', img, 't1');
    for (const t of ['t2', 't3'])
      await client.putManifest('team/tags', t, img.manifest, MediaType.ociManifest);
    expect((await client.listTags('team/tags')).sort()).toEqual(['t1', 't2', 't3']);
  });

  test('listTags follows relative Link pagination', async () => {
    const page = (tags: string[], next?: string): Fault => ({
      kind: 'status' as const,
      status: 200,
      headers: next ? { link: `<${next}>; rel="next"` } : ({} as Record<string, string>),
      body: JSON.stringify({ name: 'team/paged', tags }),
    });
    proxy.addRule({
      match: (r) => r.path.endsWith('/tags/list?n=2'),
      fault: page(['a', 'b'], '/v2/team/paged/tags/list?n=2&last=b'),
    });
    proxy.addRule({
      match: (r) => r.path.endsWith('last=b'),
      fault: page(['c', 'd'], '/v2/team/paged/tags/list?n=2&last=d'),
    });
    proxy.addRule({ match: (r) => r.path.endsWith('last=d'), fault: page(['e']) });
    const before = proxy.log.length;
    expect(await client.listTags('team/paged', 2)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(proxy.log.slice(before).filter((e) => e.path.includes('/tags/list')).length).toBe(3);
  });

  test('mount: 201 for a blob in the source repository, 202 session reused for an unknown one', async () => {
    const data = Buffer.from('shared layer');
    await client.uploadBlob('team/source', blobContent(data));
    expect(await client.mountBlob('team/target', sha256(data), 'team/source')).toEqual({ kind: 'mounted' });
    expect(await client.blobExists('team/target', sha256(data))).toBe(true);

    const other = Buffer.from('not in the source');
    const res = await client.mountBlob('team/target', sha256(other), 'team/source');
    expect(res.kind).toBe('session');
    const before = proxy.log.length;
    await client.uploadBlob(
      'team/target',
      blobContent(other),
      {},
      res.kind === 'session' ? res.location : undefined,
    );
    expect(proxy.log.slice(before).map((e) => e.method)).toEqual(['PUT']);
    expect(await client.blobExists('team/target', sha256(other))).toBe(true);
  });

  test('deleteManifest removes it', async () => {
    const img = makeTestImage({ layerSizes: [10] });
    const digest = await pushImage('team/del', img, 'gone');
    await client.deleteManifest('team/del', digest);
    expect(await client.headManifest('team/del', digest)).toBeUndefined();
  });

  test('putManifest refuses a Docker-Content-Digest that differs from ours', async () => {
    const img = makeTestImage({ layerSizes: [10] });
    await pushImage('team/lie', img, 'v1');
    proxy.addRule({
      match: (r) => r.method === 'PUT' && r.path.endsWith('/manifests/v2'),
      fault: { kind: 'status', status: 201, headers: { 'docker-content-digest': sha256('other') } },
    });
    const err = await failureOf(client.putManifest('team/lie', 'v2', img.manifest, MediaType.ociManifest));
    expect(err.userMessage()).toMatch(/registry stored digest sha256:[0-9a-f]{64}, not sha256:/);
  });
});

interface ErrorCase {
  readonly name: string;
  readonly given: (c: RegistryClient) => Promise<unknown>;
  readonly want: { readonly status?: number; readonly code?: string; readonly message: RegExp };
}

const unknownDigest = sha256('nothing');
const errorCases: ErrorCase[] = [
  {
    name: 'unknown tag → 404 MANIFEST_UNKNOWN',
    given: (c) => c.getManifest('team/app', 'nope'),
    want: {
      status: 404,
      code: 'MANIFEST_UNKNOWN',
      message:
        /^pull of 127\.0\.0\.1:\d+\/team\/app:nope failed: not found \(404 MANIFEST_UNKNOWN\) — check the image name and tag$/,
    },
  },
  {
    name: 'unknown blob → 404 BLOB_UNKNOWN',
    given: (c) => c.fetchBlob('team/app', unknownDigest),
    want: {
      status: 404,
      code: 'BLOB_UNKNOWN',
      message: new RegExp(
        `pull of 127\\.0\\.0\\.1:\\d+/team/app@${unknownDigest} failed: blob ${unknownDigest} not found \\(404 BLOB_UNKNOWN\\) — the image in the registry is incomplete; push it again`,
      ),
    },
  },
  {
    name: 'malformed manifest → 400 MANIFEST_INVALID',
    given: (c) => c.putManifest('team/app', 'bad', Buffer.from('{"schemaVersion":2,'), MediaType.ociManifest),
    want: {
      status: 400,
      code: 'MANIFEST_INVALID',
      message:
        /^push to 127\.0\.0\.1:\d+\/team\/app:bad failed: the registry rejected the manifest: manifest invalid \(400 MANIFEST_INVALID\) — check that/,
    },
  },
  {
    name: 'manifest whose blobs were never pushed → 400 MANIFEST_BLOB_UNKNOWN',
    given: (c) => {
      const img = makeTestImage({ layerSizes: [10] });
      return c.putManifest('team/app', 'orphan', img.manifest, MediaType.ociManifest);
    },
    want: {
      status: 400,
      code: 'MANIFEST_BLOB_UNKNOWN',
      message:
        /push to .*team\/app:orphan failed: the manifest references a blob the registry does not have: blob unknown to registry \(400 MANIFEST_BLOB_UNKNOWN\)/,
    },
  },
];

describe('RegistryClient errors', () => {
  test.each(errorCases)('$name', async ({ given, want }) => {
    const err = await failureOf(given(client));
    expect(err.userMessage()).toMatch(want.message);
    expect(err.status).toBe(want.status);
    expect(err.code).toBe(want.code);
    expect(err.registry).toBe(proxy.host);
    expect(err.userMessage()).not.toMatch(/\n|\bat \w+ \(/);
  });

  test('an unreachable registry', async () => {
    const port = await closedPort();
    const c = new RegistryClient({ registry: `127.0.0.1:${port}`, logger, sleep: async () => undefined });
    const err = await failureOf(c.getManifest('team/app', 'v1'));
    c.close();
    expect(err.userMessage()).toBe(
      `cannot reach registry 127.0.0.1:${port} (ECONNREFUSED) — is the registry running and the address right?`,
    );
    expect(err.code).toBe('ECONNREFUSED');
  });
});

describe('RegistryClient over TLS', () => {
  test('uses https with an untrusted certificate for a loopback registry', async () => {
    const tls = await startRegistry({ auth: 'none', tls: true });
    const c = new RegistryClient({ registry: tls.host, logger, sleep: async () => undefined });
    try {
      const data = Buffer.from('over tls');
      await c.uploadBlob('secure/app', blobContent(data));
      expect(await c.blobExists('secure/app', sha256(data))).toBe(true);
      expect(logger.text('debug')).toMatch(new RegExp(`using https://${tls.host}`));
    } finally {
      c.close();
      await tls.stop();
    }
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
