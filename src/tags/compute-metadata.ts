import { imageBuildDefaultRules, metadataActionDefaultRules } from './defaults.js';
import { evaluateRules } from './evaluate.js';
import type { ExpressionFacts } from './expressions.js';
import { parseFlavor, type Flavor } from './flavor.js';
import { enabledImageNames, parseImages } from './images.js';
import { defaultLabelLines, formatAnnotation, levelAnnotations, mergeLabels } from './labels.js';
import {
  decideVersion,
  needsExistingReleases,
  stableReleasesIn,
  type VersionDecision,
} from './latest-policy.js';
import { fetchExistingReleases } from './existing-releases.js';
import { parseList } from './parse-list.js';
import { parseRules } from './rules.js';
import { applyPrHeadSha, findCommitDate, readSwitches } from './switches.js';
import { tagNamesOf, tagRefsOf } from './tag-refs.js';
import type { GitContext, Metadata, MetadataInput } from './types.js';

/**
 * Computes version, tags, labels and annotations from the git context and the metadata-action style inputs.
 * Pure apart from the injected registry lister; the clock is read once.
 */
export async function computeMetadata(input: MetadataInput): Promise<Metadata> {
  const warnings = new WarningLog(input.logger);
  const switches = readSwitches(input.env);
  const context = applyPrHeadSha(input.context, switches.prHeadSha);
  const images = enabledImageNames(parseImages(input.images));
  const ruleLines = tagRuleLines(input.tags, warnings);
  const flavor = parseFlavor(input.flavor, input.tags === undefined ? 'newest' : 'auto');
  const rules = parseRules(ruleLines);
  const facts = expressionFacts(context, input, switches.shortShaLength);
  input.logger.debug(`tag rules: ${rules.map((rule) => rule.line).join(' | ')}; latest=${flavor.latest}`);

  const emissions = evaluateRules(rules, {
    facts,
    flavor,
    edgeBranch: input.repoInfo?.defaultBranch ?? context.defaultBranch,
    warn: (message) => warnings.add(message),
  });
  // Under newest, emissions that name no release need no registry: they never float and never take latest.
  const existing =
    flavor.latest !== 'newest'
      ? undefined
      : needsExistingReleases(emissions)
        ? await fetchExistingReleases(images, input.listExistingTags, flavor, facts, (m) => warnings.add(m))
        : stableReleasesIn([]);
  const decision = decideVersion(emissions, flavor.latest, existing);
  return assemble(decision, images, flavor, { input, context, facts, switches, warnings });
}

interface AssemblyEnv {
  readonly input: MetadataInput;
  readonly context: GitContext;
  readonly facts: ExpressionFacts;
  readonly switches: ReturnType<typeof readSwitches>;
  readonly warnings: WarningLog;
}

function assemble(
  decision: VersionDecision,
  images: readonly string[],
  flavor: Flavor,
  env: AssemblyEnv,
): Metadata {
  const { input, context, facts, switches, warnings } = env;
  const tagNames = tagNamesOf(decision, flavor);
  const tags = tagRefsOf(images, tagNames);
  if (tags.length === 0) {
    warnings.add('No image tag was generated, so nothing will be pushed. Check the tags input.');
  }
  const repo = { ...context.repository, ...definedOnly(input.repoInfo ?? {}) };
  const serverRepoUrl = context.serverUrl ? `${context.serverUrl}/${repo.owner}/${repo.name}` : '';
  const defaults = defaultLabelLines({
    title: repo.name,
    description: repo.description ?? '',
    url: repo.htmlUrl ?? serverRepoUrl,
    version: decision.main ?? '',
    created: facts.now,
    revision: context.sha,
    licenses: repo.license ?? '',
  });
  const labels = mergeLabels('labels', input.labels, defaults, facts);
  const annotations = levelAnnotations(
    mergeLabels('annotations', input.annotations, defaults, facts),
    switches.annotationLevels,
  );
  const json = JSON.stringify({
    tags,
    'tag-names': tagNames,
    labels: Object.fromEntries(labels.map(({ key, value }) => [key, value])),
    annotations: annotations.map(formatAnnotation),
  });
  return {
    version: decision.main ?? '',
    images,
    tags,
    tagNames,
    latest: decision.latest && tags.length > 0,
    labels,
    annotations,
    json,
    warnings: warnings.list(),
  };
}

/** The rule lines: the user's, metadata-action's defaults for an empty `tags`, ours when `tags` is not given. */
function tagRuleLines(tags: string | undefined, warnings: WarningLog): readonly string[] {
  if (tags === undefined) return imageBuildDefaultRules;
  const parsed = parseList('tags', tags);
  parsed.warnings.forEach((w) => warnings.add(w));
  return parsed.entries.length > 0 ? parsed.entries : metadataActionDefaultRules;
}

function expressionFacts(context: GitContext, input: MetadataInput, shortShaLength: number): ExpressionFacts {
  const now = input.clock.now();
  const defaultBranch = context.defaultBranch ?? input.repoInfo?.defaultBranch;
  return {
    eventName: context.eventName,
    ref: context.ref,
    sha: context.sha,
    shortShaLength,
    now,
    commitDate: context.commitDate ?? findCommitDate(context.commits, context.sha) ?? now,
    ...(context.pushBaseRef === undefined ? {} : { pushBaseRef: context.pushBaseRef }),
    ...(context.prBaseRef === undefined ? {} : { prBaseRef: context.prBaseRef }),
    ...(defaultBranch === undefined ? {} : { defaultBranch }),
  };
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Warnings, each logged once and kept for the report. */
class WarningLog {
  private readonly seen = new Set<string>();
  constructor(private readonly logger: MetadataInput['logger']) {}
  add(message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.logger.warn(message);
  }
  list(): readonly string[] {
    return [...this.seen];
  }
}
