/**
 * A real BuildHost for builder tests: a temp work root, a real OCI-layout store, registry clients that may use
 * plain HTTP on loopback, root privileges (tests run as root), and a memory logger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootPrivilege } from '../../src/build/rootfs/privilege.js';
import type { BuildHost } from '../../src/build/types.js';
import { MemoryLogger, systemClock } from '../../src/log.js';
import { RegistryClient } from '../../src/registry/client.js';
import { openStore } from '../../src/store/index.js';

export interface TestBuildHost {
  readonly host: BuildHost;
  readonly logger: MemoryLogger;
  readonly root: string;
  cleanup(): void;
}

export async function makeBuildHost(overrides: Partial<BuildHost> = {}): Promise<TestBuildHost> {
  const root = mkdtempSync(join(tmpdir(), 'ib-build-'));
  const logger = new MemoryLogger();
  const store = await openStore(join(root, 'store'));
  const clients = new Map<string, RegistryClient>();
  const host: BuildHost = {
    workRoot: join(root, 'work'),
    store,
    registry: (registry) => {
      let c = clients.get(registry);
      if (!c) {
        c = new RegistryClient({ registry, logger });
        clients.set(registry, c);
      }
      return c;
    },
    privilege: rootPrivilege,
    hostEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    resolvConf: '/etc/resolv.conf',
    logger,
    clock: systemClock,
    ...overrides,
  };
  return {
    host,
    logger,
    root,
    cleanup: () => {
      for (const c of clients.values()) c.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
