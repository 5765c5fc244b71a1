/**
 * The conformance corpora (BuildKit's Dockerfile parser fixtures, the .dockerignore cases), vendored under
 * __tests__/fixtures/corpus with their LICENSE and NOTICE files so a fresh clone runs them.
 * __tests__/corpus-sync.test.ts checks the copy against the shared original when one is present.
 */
import { fileURLToPath } from 'node:url';

export type CorpusName = 'dockerfile-parser' | 'dockerignore';

/** Absolute path of a vendored corpus directory, with a trailing slash. */
export function corpusDir(name: CorpusName): string {
  return fileURLToPath(new URL(`../fixtures/corpus/${name}/`, import.meta.url));
}

/** Where the shared original lives in the development workspace (absent in CI clones). */
export function sharedCorpusDir(name: CorpusName): string {
  return fileURLToPath(new URL(`../../../shared/corpus/${name}/`, import.meta.url));
}
