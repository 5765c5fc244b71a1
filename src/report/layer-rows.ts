import type { StepReport } from '../build/types.js';
import type { Image } from '../oci/image.js';

/** Where a layer of the final image came from. */
export type LayerOrigin = 'base' | 'cached' | 'built';

export interface LayerRow {
  readonly digest: string;
  readonly size: number;
  /** The instruction that made it: the step as written, else the config history's `created_by`. */
  readonly createdBy: string;
  readonly origin: LayerOrigin;
}

/** The final image's layers, base first, matched to the build steps that produced them. */
export function layerRows(image: Image, steps: readonly StepReport[]): LayerRow[] {
  const byDigest = new Map<string, StepReport>();
  for (const step of steps) if (step.layer) byDigest.set(step.layer.digest, step);
  const history = (image.config.history ?? []).filter((h) => h.empty_layer !== true);
  return image.manifest.layers.map((layer, i) => {
    const step = byDigest.get(layer.digest);
    const origin: LayerOrigin = !step ? 'base' : step.status === 'built' ? 'built' : 'cached';
    return {
      digest: layer.digest,
      size: layer.size,
      createdBy: step?.instruction ?? cleanCreatedBy(history[i]?.created_by ?? ''),
      origin,
    };
  });
}

/** Total compressed size of an image: config plus layers (what a pull downloads). */
export function compressedSize(image: Image): number {
  return image.manifest.config.size + image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
}

/** `/bin/sh -c #(nop) ADD file:… in /` → `ADD file:… in /`; BuildKit's `# buildkit` suffix dropped. */
function cleanCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/\s*# buildkit$/, '')
    .trim();
}
