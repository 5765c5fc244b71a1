/**
 * Child process for rootless.test.ts: runs inside `unshare --user --map-auto --map-root-user --mount` as an
 * unprivileged user and builds argv[2] (a context dir with a Dockerfile) in argv[3] (a work dir), printing JSON.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildImage } from '../../../src/build/executor.js';
import { usernsPrivilege } from '../../../src/build/rootfs/privilege.js';
import { MemoryLogger, systemClock } from '../../../src/log.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { openStore } from '../../../src/store/index.js';
import { buildRequest } from '../../helpers/build-request.js';

const [ctxDir, workDir] = process.argv.slice(2) as [string, string];
const logger = new MemoryLogger();
const store = await openStore(join(workDir, 'store'));
const text = readFileSync(join(ctxDir, 'Dockerfile'), 'utf8');
const result = await buildImage(await buildRequest(ctxDir, text), {
  workRoot: join(workDir, 'work'),
  store,
  registry: (registry) => new RegistryClient({ registry, logger }),
  privilege: usernsPrivilege,
  hostEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
  resolvConf: '/etc/resolv.conf',
  logger,
  clock: systemClock,
});
await store.tag('rootless:test', result.image.descriptor);
process.stdout.write(
  JSON.stringify({
    uid: process.getuid?.(),
    digest: result.image.descriptor.digest,
    steps: result.steps.map((s) => s.status),
  }),
);
