/** Inputs + tags → the build: read the Dockerfile, open the context, run the builder. */
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { buildReadyToShip, type ShipNeeds } from '../build/ship-ready.js';
import type { BuildHost, BuildResult } from '../build/types.js';
import { findIgnoreFile, openBuildContext, type BuildContext } from '../context/index.js';
import { parseDockerfile, type Dockerfile } from '../dockerfile/index.js';
import { InputError } from '../errors.js';
import type { Logger } from '../log.js';
import { hostPlatform } from '../oci/platform.js';
import type { Metadata } from '../tags/index.js';
import type { Inputs } from './inputs.js';

/** The Dockerfile and the context, read and checked before anything talks to a registry. */
export interface PreparedBuild {
  readonly dockerfile: Dockerfile;
  readonly context: BuildContext;
}

export async function prepareBuild(inputs: Inputs, logger: Logger): Promise<PreparedBuild> {
  const ignore = await findIgnoreFile({ contextDir: inputs.context, dockerfile: inputs.file });
  const context = await openBuildContext({
    dir: inputs.context,
    ...(ignore ? { ignore: ignore.matcher } : {}),
    log: logger,
  });
  const dockerfile = await readDockerfile(inputs);
  for (const w of dockerfile.warnings) {
    logger.warn(`${w.location.file}:${w.location.line ?? 1}: ${w.message} (${w.rule})`);
  }
  return { dockerfile, context };
}

export async function runBuild(
  prepared: PreparedBuild,
  inputs: Inputs,
  metadata: Metadata,
  sourceDateEpoch: number | undefined,
  host: BuildHost,
  needs: ShipNeeds,
): Promise<BuildResult> {
  return buildReadyToShip(
    {
      dockerfile: prepared.dockerfile,
      context: prepared.context,
      ...(inputs.target !== undefined ? { target: inputs.target } : {}),
      buildArgs: inputs.buildArgs,
      platform: hostPlatform(),
      secrets: inputs.secrets,
      labels: Object.fromEntries(metadata.labels.map((l) => [l.key, l.value])),
      annotations: manifestAnnotations(inputs, metadata),
      ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
      noCache: inputs.noCache,
      pull: inputs.pull,
      compression: 'gzip',
    },
    host,
    needs,
  );
}

/**
 * The manifest-level annotations, only when the `annotations` input is given: build-push-action applies
 * metadata-action's annotations only when the workflow passes them, and they change the digest.
 */
function manifestAnnotations(inputs: Inputs, metadata: Metadata): Record<string, string> {
  if (inputs.annotations.trim() === '') return {};
  const entries = metadata.annotations.filter((a) => a.level === 'manifest').map((a) => [a.key, a.value]);
  return Object.fromEntries(entries);
}

async function readDockerfile(inputs: Inputs): Promise<Dockerfile> {
  const shown = relative(inputs.workspace, inputs.file) || inputs.file;
  const info = await stat(inputs.file).catch(() => undefined);
  if (!info) {
    throw new InputError('file', `there is no Dockerfile at "${shown}"`, {
      hint: 'add a Dockerfile to the build context, or set file to the Dockerfile’s path',
    });
  }
  if (!info.isFile()) {
    throw new InputError('file', `"${shown}" is not a file`, { hint: 'set file to the Dockerfile’s path' });
  }
  return parseDockerfile(await readFile(inputs.file), { file: shown });
}
