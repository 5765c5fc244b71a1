import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger, type Clock } from '../../src/log.js';
import type { GitContext, MetadataInput, RepoInfo } from '../../src/tags/index.js';

export const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The instant upstream's tests freeze time at; every date expectation derives from it. */
export const fixedClock: Clock = { now: () => new Date('2020-01-10T00:30:00.000Z') };

export function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(fixturesDir, ...path), 'utf8')) as T;
}

/** Names of the fixture files (without `.json`) in a fixture folder, sorted. */
export function listFixtures(folder: string): string[] {
  return readdirSync(join(fixturesDir, folder))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

type Json<T> = { -readonly [K in keyof T]: T[K] extends Date | undefined ? string : T[K] };

export function loadContext(name: string, overrides: Partial<Json<GitContext>> = {}): GitContext {
  const raw = { ...readJson<Json<GitContext>>('contexts', `${name}.json`), ...overrides };
  const { commitDate, ...rest } = raw;
  return { ...rest, ...(commitDate === undefined ? {} : { commitDate: new Date(commitDate) }) } as GitContext;
}

export const defaultRepoInfo: RepoInfo = readJson<RepoInfo>('repo-info.json');

/** A list input in fixtures: the text itself or its lines. */
export type ListText = string | readonly string[];

export function listText(value: ListText | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join('\n');
}

/** A MetadataInput with upstream's test defaults: repo Hello-World, fixed clock, no switches. */
export function metadataInput(
  context: GitContext,
  fields: Partial<Omit<MetadataInput, 'context' | 'logger' | 'clock'>> & { logger?: MemoryLogger } = {},
): MetadataInput {
  return {
    context,
    images: '',
    tags: '',
    flavor: '',
    labels: '',
    annotations: '',
    env: {},
    clock: fixedClock,
    logger: new MemoryLogger(),
    repoInfo: defaultRepoInfo,
    ...fields,
  };
}
