import { InputError } from '../errors.js';
import { hostPlatform, parsePlatform } from '../oci/platform.js';
import type { Platform } from '../oci/types.js';
import { pullImage } from '../registry/pull.js';
import { formatReference, parseReference, type Reference } from '../registry/reference.js';
import type { CliIo } from './cli-io.js';
import { CliLogger, streamSink } from './cli-logger.js';
import { parseOutput } from './output-target.js';
import { parseFlags, stringList, stringValue } from './parse-flags.js';
import { RegistryClients } from './registry-clients.js';
import { defaultWorkDir, openWorkStore, workDirLayout } from './work-dir.js';
import { writeOutput } from './write-output.js';

export const pullFlags = {
  output: { type: 'string', short: 'o', multiple: true },
  platform: { type: 'string' },
  'work-dir': { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `image-build pull REF [--output oci:DIR]...`: pulls into the work store and writes the outputs. */
export async function runPullCommand(args: readonly string[], io: CliIo, debug: boolean): Promise<number> {
  const { values, positionals } = parseFlags('pull', args, pullFlags);
  if (positionals.length !== 1) {
    throw new InputError('pull', `needs exactly one REF, got ${positionals.length}`, {
      hint: 'image-build pull registry.example.com/team/hello:dev --output oci:hello-oci',
    });
  }
  const ref = parseReference(positionals[0]!, { input: 'REF' });
  const outputs = stringList(values['output']).map((o) => parseOutput(o, io.cwd));
  const platform = platformOf(stringValue(values['platform']));
  const layout = workDirLayout(stringValue(values['work-dir']) ?? defaultWorkDir(io.env, io.homeDir), io.cwd);
  const store = await openWorkStore(layout);
  const logger = new CliLogger(streamSink(io.stderr), debug);
  const clients = new RegistryClients({
    logger,
    env: io.env,
    homeDir: io.homeDir,
    insecureRegistries: stringList(values['insecure-registry']),
  });
  try {
    const pulled = await pullImage(clients.get(ref.registry), ref, { store, logger, platform });
    io.stderr.write(
      `pulled ${formatReference(ref)} (${pulled.manifest.digest}): ${pulled.fetched.blobs} blobs fetched, ` +
        `${pulled.reused.blobs} already stored\n`,
    );
    const image = { manifest: pulled.manifest, blobs: [pulled.config, ...pulled.layers] };
    const tag: Reference = { registry: ref.registry, repository: ref.repository, tag: ref.tag ?? 'latest' };
    for (const target of outputs) {
      await writeOutput(target, store, image, [tag]);
      io.stderr.write(`wrote ${target.spec}\n`);
    }
    io.stdout.write(`${pulled.manifest.digest}\n`);
    return 0;
  } finally {
    clients.close();
  }
}

function platformOf(text: string | undefined): Platform {
  if (text === undefined) return hostPlatform();
  try {
    return parsePlatform(text);
  } catch (err) {
    throw new InputError('--platform', (err as Error).message);
  }
}
