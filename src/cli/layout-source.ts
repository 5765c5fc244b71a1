import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Descriptor } from '../oci/types.js';
import { openStore } from '../store/index.js';
import type { ImageStore } from '../store/types.js';

/** An image in an OCI layout, named as skopeo names it: `oci:DIR[:NAME]`. */
export interface LayoutSource {
  readonly dir: string;
  readonly name?: string;
}

/** Parses `oci:DIR[:NAME]`; like containers/image, the first `:` after the directory starts the name. */
export function parseLayoutSource(text: string, cwd: string): LayoutSource {
  if (!text.startsWith('oci:')) {
    throw new InputError('SOURCE', `${JSON.stringify(text)} is not an OCI layout source`, {
      hint: 'write oci:DIR or oci:DIR:NAME (e.g. oci:build/hello-oci:dev)',
    });
  }
  const rest = text.slice('oci:'.length);
  const colon = rest.indexOf(':');
  const dir = colon < 0 ? rest : rest.slice(0, colon);
  const name = colon < 0 ? undefined : rest.slice(colon + 1);
  if (dir === '') throw new InputError('SOURCE', `${JSON.stringify(text)} has no directory`);
  return { dir: resolve(cwd, dir), ...(name ? { name } : {}) };
}

/** Opens an existing layout and finds the image: by name, or the only one it holds. */
export async function openLayoutSource(
  source: LayoutSource,
): Promise<{ store: ImageStore; descriptor: Descriptor; name: string }> {
  try {
    await access(join(source.dir, 'oci-layout'));
  } catch {
    throw new InputError(
      'SOURCE',
      `${JSON.stringify(source.dir)} is not an OCI image layout (no oci-layout file)`,
      {
        hint: 'build into it with --output oci:DIR first',
      },
    );
  }
  const store = await openStore(source.dir);
  const refs = await store.listRefs();
  if (source.name !== undefined) {
    const descriptor = await store.resolve(source.name);
    if (!descriptor)
      throw notFound(
        source,
        refs.map((r) => r.name),
      );
    return { store, descriptor, name: source.name };
  }
  if (refs.length === 1) return { store, descriptor: refs[0]!.descriptor, name: refs[0]!.name };
  throw notFound(
    source,
    refs.map((r) => r.name),
  );
}

function notFound(source: LayoutSource, names: readonly string[]): InputError {
  const held =
    names.length > 0
      ? `it holds ${names.map((n) => JSON.stringify(n)).join(', ')}`
      : 'it holds no named image';
  const what =
    source.name !== undefined
      ? `no image named ${JSON.stringify(source.name)} in ${source.dir}`
      : `say which image of ${source.dir} to use`;
  return new InputError('SOURCE', `${what}: ${held}`, { hint: 'write oci:DIR:NAME' });
}
