import type { Clock, Logger } from '../log.js';

/** The repository a run belongs to, as far as the event (or local git) tells. */
export interface RepositoryFacts {
  readonly owner: string;
  readonly name: string;
  readonly htmlUrl?: string;
  readonly description?: string;
  /** SPDX id of the repository's license, e.g. `MIT`. */
  readonly license?: string;
}

/** One commit of a push payload: only what `{{commit_date}}` needs. */
export interface CommitFact {
  readonly id: string;
  /** ISO-8601 timestamp as GitHub sends it. */
  readonly timestamp: string;
}

/**
 * The git and workflow facts the tag engine reads: plain data that the action builds from GITHUB_* and the event
 * payload (see gitContextFromGithubEnv) and the CLI builds from the local checkout.
 */
export interface GitContext {
  readonly eventName: string;
  /** Full ref: `refs/heads/<b>`, `refs/tags/<t>` or `refs/pull/<n>/merge`. */
  readonly ref: string;
  readonly sha: string;
  readonly prNumber?: number;
  readonly prHeadRef?: string;
  readonly prHeadSha?: string;
  /** `pull_request.base.ref` of the payload: the `{{base_ref}}` of PR refs. */
  readonly prBaseRef?: string;
  /** `base_ref` of a push payload: the `{{base_ref}}` of tag refs. */
  readonly pushBaseRef?: string;
  /** `repository.default_branch` of the event payload: drives `{{is_default_branch}}`. */
  readonly defaultBranch?: string;
  /** Commit time of `sha`, when known; otherwise looked up in `commits`, then the clock. */
  readonly commitDate?: Date;
  readonly commits?: readonly CommitFact[];
  readonly repository: RepositoryFacts;
  readonly runId: number;
  readonly runNumber: number;
  readonly runAttempt?: number;
  readonly actor?: string;
  readonly serverUrl?: string;
}

/** Repository data from the GitHub API, when the caller could read it; it wins over the payload's. */
export interface RepoInfo {
  readonly name?: string;
  readonly description?: string;
  /** SPDX id, e.g. `Apache-2.0`. */
  readonly license?: string;
  readonly htmlUrl?: string;
  /** The default branch `type=edge` compares against. */
  readonly defaultBranch?: string;
}

/** The registry's tag list of one image (`registry/repo`, no tag); used by `latest=newest`. */
export type ExistingTagLister = (image: string) => Promise<readonly string[] | undefined>;

export interface MetadataInput {
  readonly context: GitContext;
  /** The `images` input text (metadata-action list syntax, `name=…,enable=…` allowed). */
  readonly images: string;
  /**
   * The `tags` input text. `undefined` means the input was not given: image-build's defaults apply, with
   * `latest=newest`. Any string, even empty, means metadata-action semantics exactly.
   */
  readonly tags: string | undefined;
  readonly flavor: string;
  readonly labels: string;
  readonly annotations: string;
  /** `DOCKER_METADATA_PR_HEAD_SHA`, `DOCKER_METADATA_SHORT_SHA_LENGTH`, `DOCKER_METADATA_ANNOTATIONS_LEVELS`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly listExistingTags?: ExistingTagLister;
  readonly repoInfo?: RepoInfo;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One annotation at one BuildKit level (`manifest`, `index`, `manifest-descriptor`, …). */
export interface LeveledAnnotation extends KeyValue {
  readonly level: string;
}

export interface Metadata {
  /** The main version (first tag in priority order); `''` when no tag was generated. */
  readonly version: string;
  /** Enabled image names, lower-cased, in input order. */
  readonly images: readonly string[];
  /** Full references `image:tag` per image in input order (bare tags when there is no image). */
  readonly tags: readonly string[];
  /** Tag names without the image part, in output order. */
  readonly tagNames: readonly string[];
  readonly latest: boolean;
  /** Labels sorted by key: the OCI defaults merged with the `labels` input. */
  readonly labels: readonly KeyValue[];
  /** Annotations for every level of DOCKER_METADATA_ANNOTATIONS_LEVELS, level by level, keys sorted. */
  readonly annotations: readonly LeveledAnnotation[];
  /** The exact `json` output metadata-action emits. */
  readonly json: string;
  readonly warnings: readonly string[];
}
