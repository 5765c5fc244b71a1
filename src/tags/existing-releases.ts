import { describeError } from '../errors.js';
import { renderGlobal, type ExpressionFacts } from './expressions.js';
import type { Flavor } from './flavor.js';
import { stableReleasesIn, type ExistingReleases } from './latest-policy.js';
import { sanitizeTag } from './sanitize.js';
import type { ExistingTagLister } from './types.js';

/**
 * The stable releases already in the registry, over every enabled image (so all images get the same tags).
 * Undefined — after one warning — when they cannot be read: `latest=newest` then behaves as `latest=auto`.
 */
export async function fetchExistingReleases(
  images: readonly string[],
  lister: ExistingTagLister | undefined,
  flavor: Flavor,
  facts: ExpressionFacts,
  warn: (message: string) => void,
): Promise<ExistingReleases | undefined> {
  if (images.length === 0) return stableReleasesIn([]);
  const fallback = 'latest=newest falls back to latest=auto';
  if (lister === undefined) {
    warn(`the registry's tag list is not available here, so ${fallback}`);
    return undefined;
  }
  const tags: string[] = [];
  for (const image of images) {
    try {
      const listed = await lister(image);
      if (listed === undefined) {
        warn(`no tag list for ${image}, so ${fallback}`);
        return undefined;
      }
      tags.push(...listed);
    } catch (err) {
      warn(`cannot list the tags of ${image} (${describeError(err)}), so ${fallback}`);
      return undefined;
    }
  }
  const prefix = flavor.prefix ? sanitizeTag(renderGlobal(flavor.prefix, facts)) : '';
  const suffix = flavor.suffix ? sanitizeTag(renderGlobal(flavor.suffix, facts)) : '';
  return stableReleasesIn(tags, prefix, suffix);
}
