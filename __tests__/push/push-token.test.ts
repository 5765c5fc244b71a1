import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MemoryLogger } from '../../src/log.js';
import { pushImage } from '../../src/push/index.js';
import { RegistryClient } from '../../src/registry/client.js';
import { pullImage } from '../../src/registry/pull.js';
import { parseReference } from '../../src/registry/reference.js';
import { openStore } from '../../src/store/index.js';
import { makeTestImage, storeTestImage } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const run = promisify(execFile);
let reg: TestRegistry;
let dir: string;

beforeAll(async () => {
  reg = await startRegistry({ auth: 'token' });
  dir = await mkdtemp(join(tmpdir(), 'ib-push-token-'));
});
afterAll(async () => {
  await reg.stop();
  await rm(dir, { recursive: true, force: true });
});

test('push through token auth: one token per repository, readable by skopeo with credentials, pulls back', async () => {
  const store = await openStore(join(dir, 'src'));
  const image = makeTestImage({ layerSizes: [10_000, 20_000] });
  const source = await storeTestImage(store, image);
  const logger = new MemoryLogger();
  const client = new RegistryClient({
    registry: reg.host,
    logger,
    credentials: { username: reg.username!, password: reg.password! },
  });
  try {
    const targets = ['team/app:v1', 'team/app:v2', 'mirror/app:v1'].map((s) =>
      parseReference(`${reg.host}/${s}`),
    );
    const result = await pushImage({ client, store, source, targets, logger });
    expect(result.targets.map((t) => t.outcome)).toEqual(['pushed', 'pushed', 'pushed']);
    expect(result.blobs.mounted.count).toBe(3);
    expect(reg.tokenServer!.requests.map((r) => r.scopes.join(' '))).toEqual([
      'repository:team/app:pull,push',
      'repository:mirror/app:pull,push repository:team/app:pull',
    ]);
    const { stdout } = await run('skopeo', [
      'inspect',
      ...reg.skopeoArgs(),
      `docker://${reg.host}/mirror/app:v1`,
    ]);
    expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe(image.descriptor.digest);
    const layout = join(dir, 'copied');
    await run('skopeo', [
      'copy',
      ...reg.skopeoArgs('src'),
      `docker://${reg.host}/team/app:v2`,
      `oci:${layout}:v2`,
    ]);
    const copied = await openStore(layout);
    expect((await copied.read(image.descriptor.digest)).equals(image.manifest)).toBe(true);

    const target = await openStore(join(dir, 'dst'));
    const pulled = await pullImage(client, targets[1]!, { store: target, logger });
    expect((await target.read(pulled.manifest.digest)).equals(image.manifest)).toBe(true);
    expect(logger.text()).not.toContain(reg.password!);
  } finally {
    client.close();
  }
});
