import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { RegistryError } from '../../src/errors.js';
import { MemoryLogger, silentLogger } from '../../src/log.js';
import { parseReference, RegistryClient } from '../../src/registry/index.js';
import { computeMetadata, type ExistingTagLister } from '../../src/tags/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { loadContext, metadataInput } from './helpers.js';

/**
 * `latest=newest` against a real registry (CNCF distribution): tags are pushed with the distribution API and
 * listed by the project's RegistryClient, wired as the action wires it (an unknown repository has no tags yet).
 * skopeo list-tags is the independent check of what the registry holds.
 */

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  await pushTags('team/app', ['1.9.0', '1.9', '1', '2.0.0', '2.0', '2', 'latest', 'sha-0123456']);
  await pushTags('team/other', ['3.0.0']);
});
afterAll(() => registry.stop());

const clients: RegistryClient[] = [];
afterAll(() => clients.forEach((client) => client.close()));

/** The ExistingTagLister the action builds: RegistryClient.listTags, with 404 (no such repository) as no tags. */
function tagLister(): ExistingTagLister {
  return async (image) => {
    const ref = parseReference(image);
    const client = new RegistryClient({
      registry: ref.registry,
      logger: silentLogger,
      retry: { maxAttempts: 1 },
    });
    clients.push(client);
    try {
      return await client.listTags(ref.repository);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return [];
      throw err;
    }
  };
}

interface RegistryCase {
  readonly name: string;
  readonly given: {
    readonly context: string;
    readonly images: readonly string[];
    readonly deadRegistry?: boolean;
  };
  readonly want: { readonly tagNames: readonly string[]; readonly warning?: string };
}

const cases: RegistryCase[] = [
  {
    name: 'backport v1.9.1 after v2.0.0: 1.9.1, 1.9, 1, no latest',
    given: { context: 'tag-v1.9.1', images: ['team/app'] },
    want: { tagNames: ['1.9.1', '1.9', '1', 'sha-860c190'] },
  },
  {
    name: 'v2.0.0 again: everything, latest included',
    given: { context: 'tag-v2.0.0', images: ['team/app'] },
    want: { tagNames: ['2.0.0', '2.0', '2', 'sha-860c190', 'latest'] },
  },
  {
    name: 'a repository that does not exist yet: like auto',
    given: { context: 'tag-v1.9.1', images: ['team/new'] },
    want: { tagNames: ['1.9.1', '1.9', '1', 'sha-860c190', 'latest'] },
  },
  {
    name: 'a higher release in a second image blocks latest everywhere',
    given: { context: 'tag-v2.0.0', images: ['team/app', 'team/other'] },
    want: { tagNames: ['2.0.0', '2.0', '2', 'sha-860c190'] },
  },
  {
    name: 'an unreachable registry: one warning, then auto',
    given: { context: 'tag-v1.9.1', images: ['team/app'], deadRegistry: true },
    want: { tagNames: ['1.9.1', '1.9', '1', 'sha-860c190', 'latest'], warning: 'falls back to latest=auto' },
  },
];

describe('latest=newest with a real registry', () => {
  test('the lister sees what skopeo sees', async () => {
    const image = `${registry.host}/team/app`;
    const { stdout } = await promisify(execFile)('skopeo', [
      'list-tags',
      ...registry.skopeoArgs(),
      `docker://${image}`,
    ]);
    const viaSkopeo = (JSON.parse(stdout) as { Tags: string[] }).Tags;
    expect([...(await tagLister()(image))!].sort()).toEqual([...viaSkopeo].sort());
    expect(viaSkopeo).toContain('2.0.0');
  });

  test.each(cases)('$name', async ({ given, want }) => {
    const logger = new MemoryLogger();
    const host = given.deadRegistry ? '127.0.0.1:9' : registry.host;
    const metadata = await computeMetadata(
      metadataInput(loadContext(given.context), {
        images: given.images.map((name) => `${host}/${name}`).join('\n'),
        tags: undefined,
        listExistingTags: tagLister(),
        logger,
      }),
    );
    expect(metadata.tagNames).toEqual(want.tagNames);
    if (want.warning === undefined) expect(metadata.warnings).toEqual([]);
    else expect(metadata.warnings).toEqual([expect.stringContaining(want.warning)]);
  });
});

async function pushTags(name: string, tags: readonly string[]): Promise<void> {
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const configDigest = await pushBlob(name, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [],
  });
  for (const tag of tags) {
    const res = await fetch(`${registry.url}/v2/${name}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    if (res.status !== 201) throw new Error(`manifest PUT ${tag}: ${res.status} ${await res.text()}`);
  }
}

async function pushBlob(name: string, data: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const start = await fetch(`${registry.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', registry.url);
  location.searchParams.set('digest', digest);
  const res = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (res.status !== 201) throw new Error(`blob PUT: ${res.status} ${await res.text()}`);
  return digest;
}
