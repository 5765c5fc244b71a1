/** The `outputs` input: copies of the built image on the runner's disk, owned by the runner's user. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Image } from '../oci/image.js';
import type { ExportFact } from '../report/index.js';
import { exportDockerArchive, exportOciArchive, openStore } from '../store/index.js';
import type { ImageStore } from '../store/types.js';
import type { Metadata } from '../tags/index.js';
import { chownTree, type Invoker } from './ownership.js';
import type { ExportTarget } from './parse-exports.js';

export async function writeExports(
  targets: readonly ExportTarget[],
  image: Image,
  store: ImageStore,
  metadata: Metadata,
  invoker: Invoker | undefined,
): Promise<ExportFact[]> {
  const facts: ExportFact[] = [];
  // Names inside the layout/archive: the tag names (`main`, `1.2.3`), as `docker buildx` names an OCI export.
  const names = metadata.tagNames.length > 0 ? metadata.tagNames : ['latest'];
  for (const target of targets) {
    const createdDir = await mkdir(dirname(target.path), { recursive: true });
    switch (target.kind) {
      case 'oci':
        await writeLayout(target.path, image, store, names);
        break;
      case 'oci-archive':
        await store.tag(names[0]!, image.descriptor);
        await exportOciArchive(store, names[0]!, target.path);
        break;
      case 'docker':
        await exportDockerArchive(store, image.descriptor, target.path, {
          repoTags: metadata.images.length > 0 ? metadata.tags : [],
        });
        break;
    }
    if (invoker) await chownTree(createdDir ?? target.path, invoker);
    facts.push({ kind: target.kind, path: target.path });
  }
  return facts;
}

/** An OCI image layout directory (new, or one made before): every blob, then one index entry per name. */
async function writeLayout(
  dir: string,
  image: Image,
  store: ImageStore,
  names: readonly string[],
): Promise<void> {
  const layout = await openStore(dir);
  const m = image.manifest;
  for (const d of [image.descriptor, m.config, ...m.layers]) {
    await layout.putStream(store.open(d.digest), { digest: d.digest, size: d.size });
  }
  for (const name of names) await layout.tag(name, image.descriptor);
}
