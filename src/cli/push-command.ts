import { InputError } from '../errors.js';
import { familiarReference, parseReference } from '../registry/reference.js';
import type { CliIo } from './cli-io.js';
import { CliLogger, streamSink } from './cli-logger.js';
import { openLayoutSource, parseLayoutSource } from './layout-source.js';
import { parseFlags, stringList } from './parse-flags.js';
import { pushSummary } from './push-summary.js';
import { pushToTargets } from './push-targets.js';
import { RegistryClients } from './registry-clients.js';

export const pushFlags = {
  'insecure-registry': { type: 'string', multiple: true },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `image-build push oci:DIR[:NAME] REF...`: pushes an image from an OCI layout to each reference. */
export async function runPushCommand(args: readonly string[], io: CliIo, debug: boolean): Promise<number> {
  const { values, positionals } = parseFlags('push', args, pushFlags);
  const [sourceText, ...refTexts] = positionals;
  if (sourceText === undefined || refTexts.length === 0) {
    throw new InputError('push', 'needs a SOURCE and at least one REF', {
      hint: 'image-build push oci:build/hello-oci:dev registry.example.com/team/hello:dev',
    });
  }
  const targets = refTexts.map((r) => parseReference(r, { input: 'REF' }));
  const source = await openLayoutSource(parseLayoutSource(sourceText, io.cwd));
  const logger = new CliLogger(streamSink(io.stderr), debug);
  const clients = new RegistryClients({
    logger,
    env: io.env,
    homeDir: io.homeDir,
    insecureRegistries: stringList(values['insecure-registry']),
  });
  try {
    await pushToTargets({
      store: source.store,
      source: source.descriptor,
      targets,
      clients,
      logger,
      ...(io.signal ? { signal: io.signal } : {}),
      onRegistry: (_registry, refs) => {
        const names = refs.map(familiarReference).join(', ');
        io.stderr.write(`pushing ${source.name} to ${names}\n`);
        return { done: (result) => io.stderr.write(`pushed ${names}: ${pushSummary(result)}\n`) };
      },
    });
  } finally {
    clients.close();
  }
  io.stdout.write(`${source.descriptor.digest}\n`);
  return 0;
}
