import { ImageBuildError } from '../../src/errors.js';
import { MemoryLogger } from '../../src/log.js';
import { computeMetadata, metadataOutputs, type Metadata } from '../../src/tags/index.js';
import { listFixtures, listText, loadContext, metadataInput, readJson, type ListText } from './helpers.js';

/**
 * Fixture-driven cases: every file in fixtures/cases holds named cases `{ name, given, want }` (event + inputs →
 * version, tags, labels…). Cases mirrored from docker/metadata-action's __tests__/meta.test.ts carry the upstream
 * case id in their name; their expectations are upstream's.
 */

interface MetadataCase {
  readonly name: string;
  readonly given: {
    readonly context: string;
    readonly contextOverrides?: Record<string, unknown>;
    readonly images?: ListText;
    /** Absent: the `tags` input was not given (image-build defaults). */
    readonly tags?: ListText;
    readonly flavor?: ListText;
    readonly labels?: ListText;
    readonly annotations?: ListText;
    readonly env?: Record<string, string>;
    /** `false`: no GitHub API data. */
    readonly repoInfo?: false;
    /** The registry's tags per image, or `fail` for a registry that cannot be read. */
    readonly existingTags?: Record<string, string[]> | 'fail';
    readonly sepTags?: string;
  };
  readonly want: {
    readonly version?: string;
    readonly tags?: string[];
    readonly tagNames?: string[];
    readonly latest?: boolean;
    readonly labels?: Record<string, string>;
    readonly annotations?: string[];
    readonly json?: unknown;
    /** The json output byte for byte. */
    readonly jsonText?: string;
    readonly tagsOutput?: string;
    /** Substrings, in order, of the warnings (all of them when `exactWarnings`). */
    readonly warnings?: string[];
    readonly exactWarnings?: boolean;
    /** Substring of the error's user message. */
    readonly error?: string;
  };
}

async function run(c: MetadataCase): Promise<{ metadata?: Metadata; error?: unknown; logger: MemoryLogger }> {
  const { given } = c;
  const logger = new MemoryLogger();
  const existing = given.existingTags;
  const input = metadataInput(loadContext(given.context, given.contextOverrides), {
    images: listText(given.images),
    tags: given.tags === undefined ? undefined : listText(given.tags),
    flavor: listText(given.flavor),
    labels: listText(given.labels),
    annotations: listText(given.annotations),
    env: given.env ?? {},
    logger,
    ...(given.repoInfo === false ? { repoInfo: undefined } : {}),
    ...(existing === undefined
      ? {}
      : {
          listExistingTags: async (image: string) => {
            if (existing === 'fail') throw new Error(`GET /v2/${image}/tags/list: connect ECONNREFUSED`);
            return existing[image] ?? [];
          },
        }),
  });
  try {
    return { metadata: await computeMetadata(input), logger };
  } catch (error) {
    return { error, logger };
  }
}

for (const file of listFixtures('cases')) {
  const cases = readJson<MetadataCase[]>('cases', `${file}.json`);
  describe(file, () => {
    test.each(cases)('$name', async (c) => {
      const { metadata, error, logger } = await run(c);
      const { want } = c;
      if (want.error !== undefined) {
        expect(error).toBeInstanceOf(ImageBuildError);
        expect((error as ImageBuildError).userMessage()).toContain(want.error);
        return;
      }
      if (error !== undefined) throw error;
      const md = metadata!;
      if (want.version !== undefined) expect(md.version).toBe(want.version);
      if (want.tags !== undefined) expect(md.tags).toEqual(want.tags);
      if (want.tagNames !== undefined) expect(md.tagNames).toEqual(want.tagNames);
      if (want.latest !== undefined) expect(md.latest).toBe(want.latest);
      if (want.labels !== undefined) {
        expect(Object.fromEntries(md.labels.map((l) => [l.key, l.value]))).toEqual(want.labels);
      }
      if (want.annotations !== undefined) {
        expect(metadataOutputs(md).annotations.split('\n')).toEqual(want.annotations);
      }
      if (want.json !== undefined) expect(JSON.parse(md.json)).toEqual(want.json);
      if (want.jsonText !== undefined) expect(md.json).toBe(want.jsonText);
      if (want.tagsOutput !== undefined) {
        expect(metadataOutputs(md, { tags: c.given.sepTags }).tags).toBe(want.tagsOutput);
      }
      checkWarnings(md, logger, want);
    });
  });
}

function checkWarnings(md: Metadata, logger: MemoryLogger, want: MetadataCase['want']): void {
  expect(logger.text('warn').split('\n').filter(Boolean)).toEqual(md.warnings);
  if (want.warnings === undefined) return;
  if (want.exactWarnings) expect(md.warnings).toHaveLength(want.warnings.length);
  let from = 0;
  for (const expected of want.warnings) {
    const at = md.warnings.findIndex((w, i) => i >= from && w.includes(expected));
    expect({ expected, found: at >= 0, warnings: md.warnings }).toMatchObject({ found: true });
    from = at + 1;
  }
}
