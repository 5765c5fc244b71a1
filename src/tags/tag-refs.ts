import type { Flavor } from './flavor.js';
import type { VersionDecision } from './latest-policy.js';
import { sanitizeTag } from './sanitize.js';

/**
 * Tag names in output order: the main version, the partial tags, then `latest` when on. The latest name carries
 * the flavor prefix/suffix only with `onlatest=true`, unexpanded but sanitised (as upstream).
 */
export function tagNamesOf(decision: VersionDecision, flavor: Flavor): readonly string[] {
  if (decision.main === undefined) return [];
  const names = [decision.main, ...decision.partial];
  if (decision.latest) {
    const prefix = flavor.prefixOnLatest ? flavor.prefix : '';
    const suffix = flavor.suffixOnLatest ? flavor.suffix : '';
    names.push(sanitizeTag(`${prefix}latest${suffix}`));
  }
  return names;
}

/** Full references, image by image; bare tag names when there is no image. */
export function tagRefsOf(images: readonly string[], names: readonly string[]): readonly string[] {
  if (images.length === 0) return names;
  return images.flatMap((image) => names.map((name) => `${image}:${name}`));
}
