/**
 * From BuildOptions to the builder's BuildRequest: read and parse the Dockerfile, find its ignore file, walk the
 * context, and resolve SOURCE_DATE_EPOCH (`git` = HEAD's commit time).
 */
import { readFile } from 'node:fs/promises';
import type { BuildRequest } from '../build/types.js';
import {
  findIgnoreFile,
  openBuildContext,
  readGitFacts,
  runGit,
  type DigestCache,
} from '../context/index.js';
import { parseDockerfile } from '../dockerfile/index.js';
import { formatLocation, InputError } from '../errors.js';
import type { Logger } from '../log.js';
import type { BuildOptions } from './build-options.js';
import type { CliIo } from './cli-io.js';

export async function prepareBuildRequest(
  options: BuildOptions,
  io: Pick<CliIo, 'readStdin'>,
  logger: Logger,
  digestCache?: DigestCache,
): Promise<BuildRequest> {
  const text = await readDockerfile(options, io);
  const file = options.dockerfile.kind === 'file' ? options.dockerfile.display : 'Dockerfile';
  const dockerfile = parseDockerfile(text, { file });
  for (const w of dockerfile.warnings) logger.warn(`${formatLocation(w.location)}: ${w.message} (${w.rule})`);
  const ignore = await findIgnoreFile({
    contextDir: options.contextDir,
    ...(options.dockerfile.kind === 'file' ? { dockerfile: options.dockerfile.path } : {}),
  });
  if (ignore) logger.debug(`using ${ignore.path} (${ignore.patterns.length} patterns)`);
  const context = await openBuildContext({
    dir: options.contextDir,
    ...(ignore ? { ignore: ignore.matcher } : {}),
    log: logger,
    ...(digestCache ? { digestCache } : {}),
  });
  const sourceDateEpoch = await resolveSourceDateEpoch(options, logger);
  return {
    dockerfile,
    context,
    ...(options.target !== undefined ? { target: options.target } : {}),
    buildArgs: options.buildArgs,
    platform: options.platform,
    secrets: options.secrets,
    labels: options.labels,
    annotations: {},
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    noCache: options.noCache,
    pull: options.pull,
    compression: options.compression,
  };
}

async function readDockerfile(options: BuildOptions, io: Pick<CliIo, 'readStdin'>): Promise<string> {
  if (options.dockerfile.kind === 'stdin') return io.readStdin();
  try {
    return await readFile(options.dockerfile.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(
      '--file',
      `cannot read the Dockerfile ${JSON.stringify(options.dockerfile.display)} (${code})`,
      {
        hint: 'give its path with -f, or run from the directory that holds it',
        cause: err,
      },
    );
  }
}

async function resolveSourceDateEpoch(options: BuildOptions, logger: Logger): Promise<number | undefined> {
  const sde = options.sourceDateEpoch;
  if (sde.kind === 'unset') return undefined;
  if (sde.kind === 'seconds') return sde.seconds;
  const facts = await readGitFacts(options.contextDir, runGit, logger);
  if (!facts) {
    throw new InputError(
      '--source-date-epoch',
      `git: ${JSON.stringify(options.contextDir)} is not in a git checkout with a commit`,
      {
        hint: 'give the seconds instead, e.g. --source-date-epoch 1700000000',
      },
    );
  }
  return facts.commitTime;
}
