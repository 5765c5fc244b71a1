/** The build context module's public surface; see README.md. */
export {
  openBuildContext,
  BuildContext,
  type ContextStats,
  type OpenBuildContextOptions,
} from './build-context.js';
export type {
  ContextEntry,
  DeviceEntry,
  DirEntry,
  EntryType,
  FifoEntry,
  FileEntry,
  SymlinkEntry,
} from './context-entry.js';
export type { ContextIndex } from './walk-context.js';
export type { SourceTree } from './source-tree.js';
export { FileDigestCache, fileIdentity, type DigestCache } from './digest-cache.js';
export {
  PatternMatcher,
  readIgnoreFile,
  readIgnorePatterns,
  type IgnorePattern,
  type MatchInfo,
  type PatternOrigin,
} from './dockerignore.js';
export { findIgnoreFile, type FindIgnoreFileOptions, type IgnoreFile } from './find-ignore-file.js';
export { selectSources, type CopyItem, type SelectSourcesRequest, type Selection } from './select-sources.js';
export type { CopyEntry } from './copy-walk.js';
export { checksumSelection } from './checksum.js';
export {
  readGitFacts,
  withoutCredentials,
  type GitCommandResult,
  type GitFacts,
  type GitHead,
  type RunGit,
} from './git.js';
export { runGit } from './run-git.js';
