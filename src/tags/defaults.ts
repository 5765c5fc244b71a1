/**
 * Rule sets used when the user writes no rules. Both are plain rule lines run through the same engine.
 */

/** metadata-action's defaults, used when `tags` is given but empty (or only comments). */
export const metadataActionDefaultRules: readonly string[] = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
];

/**
 * image-build's defaults, used when `tags` is not given at all (with `latest=newest` unless the flavor says
 * otherwise): the branch name on a branch push; `1.2.3`, `1.2`, `1` for a `v1.2.3` tag or release (the `1` rule
 * renders empty, hence emits nothing, for 0.x; a prerelease collapses every semver rule to its full version);
 * the tag name itself for a tag that is not semver (`release1`; the match rule's group is empty for semver tags);
 * `pr-<N>` on pull requests; `nightly` on schedules; and always `sha-<short>`.
 */
export const imageBuildDefaultRules: readonly string[] = [
  'type=schedule',
  'type=ref,event=branch',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{#if major}}{{major}}{{/if}}',
  'type=match,pattern=^(?:v?\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]*)?$)?(.*)$,group=1',
  'type=ref,event=pr',
  'type=sha',
];
