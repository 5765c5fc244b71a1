import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { MemoryLogger } from '../../src/log.js';
import { computeMetadata, type ExistingTagLister } from '../../src/tags/index.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { loadContext, metadataInput } from './helpers.js';

/**
 * `latest=newest` against a real registry (CNCF distribution): tags are pushed with the distribution API and the
 * lister reads `GET /v2/<name>/tags/list`, the call the registry client makes. The registry module's own client
 * replaces this small lister in the action; the engine only sees the ExistingTagLister function.
 */

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  await pushTags('team/app', ['1.9.0', '1.9', '1', '2.0.0', '2.0', '2', 'latest', 'sha-0123456']);
  await pushTags('team/other', ['3.0.0']);
});
afterAll(() => registry.stop());

/** Lists a repository's tags over HTTP; an unknown repository has no tags. */
function tagLister(reg: { url: string; host: string }): ExistingTagLister {
  return async (image) => {
    const name = image.slice(`${reg.host}/`.length);
    const res = await fetch(`${reg.url}/v2/${name}/tags/list`);
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`GET /v2/${name}/tags/list: HTTP ${res.status}`);
    return ((await res.json()) as { tags: string[] | null }).tags ?? [];
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
    expect([...(await tagLister(registry)(image))!].sort()).toEqual([...viaSkopeo].sort());
    expect(viaSkopeo).toContain('2.0.0');
  });

  test.each(cases)('$name', async ({ given, want }) => {
    const logger = new MemoryLogger();
    const lister = given.deadRegistry
      ? tagLister({ url: 'http://127.0.0.1:9', host: registry.host })
      : tagLister(registry);
    const metadata = await computeMetadata(
      metadataInput(loadContext(given.context), {
        images: given.images.map((name) => `${registry.host}/${name}`).join('\n'),
        tags: undefined,
        listExistingTags: lister,
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
