/**
 * The build request most tests need: a Dockerfile's text and a context directory, the host's platform, gzip,
 * no args, secrets, labels or annotations; `over` changes any field.
 */
import { openBuildContext } from '../../src/context/index.js';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import type { BuildRequest } from '../../src/build/types.js';
import { hostPlatform } from '../../src/oci/platform.js';

export async function buildRequest(
  contextDir: string,
  dockerfile: string,
  over: Partial<BuildRequest> = {},
): Promise<BuildRequest> {
  return {
    dockerfile: parseDockerfile(dockerfile, { file: 'Dockerfile' }),
    context: await openBuildContext({ dir: contextDir }),
    buildArgs: {},
    platform: hostPlatform(),
    secrets: new Map(),
    labels: {},
    annotations: {},
    noCache: false,
    pull: false,
    compression: 'gzip',
    ...over,
  };
}
