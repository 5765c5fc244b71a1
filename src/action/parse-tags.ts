import { InputError } from '../errors.js';
import { parseReference, type Reference } from '../registry/reference.js';
import { splitList } from './parse-values.js';

/**
 * The `tags` input: metadata-action rules (`type=semver,pattern={{version}}`, bare values), or — for users
 * coming from build-push-action alone — full image references (`ghcr.io/owner/app:1.0`), pushed as given.
 */
export type TagsSetting =
  /** `text` undefined: the input is empty, image-build's default rules apply. */
  | { readonly kind: 'rules'; readonly text: string | undefined }
  | { readonly kind: 'references'; readonly references: readonly Reference[] };

/** The action.yml default of `tags`: the runner always sets every input, so "not given" needs a value of its own. */
export const defaultTagsInput = 'auto';

export function parseTagsInput(text: string): TagsSetting {
  // image-build's own rules; anything else, even empty, is metadata-action's rule language exactly
  if (text.trim() === defaultTagsInput) return { kind: 'rules', text: undefined };
  if (text.trim() === '') return { kind: 'rules', text: '' };
  const entries = splitList(text);
  const refs = entries.filter(looksLikeReference);
  if (refs.length === 0) return { kind: 'rules', text };
  if (refs.length < entries.length) {
    const rule = entries.find((e) => !looksLikeReference(e))!;
    throw new InputError('tags', `mixes image references ("${refs[0]}") with tag rules ("${rule}")`, {
      hint: 'give either full references such as ghcr.io/owner/app:1.0 (build-push-action) or rules such as type=ref,event=branch with images (metadata-action)',
    });
  }
  return { kind: 'references', references: refs.map(parseTarget) };
}

/** A bare value with a `/` or `:` is a reference; metadata-action would only have sanitized it into a tag. */
function looksLikeReference(entry: string): boolean {
  return !entry.includes('=') && !entry.includes('{{') && /[/:]/.test(entry);
}

function parseTarget(entry: string): Reference {
  const ref = parseReference(entry, { input: 'tags' });
  if (ref.digest !== undefined) {
    throw new InputError('tags', `"${entry}" names a digest; a tag to push is needed`, {
      hint: 'write the reference as name:tag',
    });
  }
  return ref;
}
