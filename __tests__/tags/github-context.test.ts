import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { computeMetadata, gitContextFromGithubEnv } from '../../src/tags/index.js';
import { fixturesDir, metadataInput } from './helpers.js';

/**
 * One folder per event under fixtures/github-events: the runner environment (env.json), the event payload
 * (payload.json) and the GitContext we expect (want.json, dates as ISO strings) or `{ "error": … }`.
 */

const eventsDir = join(fixturesDir, 'github-events');
const read = (folder: string, file: string): unknown =>
  JSON.parse(readFileSync(join(eventsDir, folder, file), 'utf8'));

const cases = readdirSync(eventsDir)
  .sort()
  .map((name) => ({
    name,
    given: {
      env: read(name, 'env.json') as Record<string, string>,
      payload: read(name, 'payload.json'),
    },
    want: read(name, 'want.json') as Record<string, unknown>,
  }));

describe('gitContextFromGithubEnv', () => {
  test.each(cases)('$name', ({ given, want }) => {
    if (typeof want.error === 'string') {
      expect(() => gitContextFromGithubEnv(given.env, given.payload)).toThrow(InputError);
      try {
        gitContextFromGithubEnv(given.env, given.payload);
      } catch (err) {
        expect((err as InputError).userMessage()).toBe(want.error);
      }
      return;
    }
    const context = gitContextFromGithubEnv(given.env, given.payload);
    expect(JSON.parse(JSON.stringify(context))).toEqual(want);
  });

  test.each([
    {
      name: 'no payload at all',
      given: { payload: undefined },
      want: { ref: 'refs/heads/main', defaultBranch: undefined },
    },
    {
      name: 'a payload that is not an object',
      given: { payload: 'oops' },
      want: { ref: 'refs/heads/main', defaultBranch: undefined },
    },
  ])('tolerates $name', ({ given, want }) => {
    const env = {
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'abc',
      GITHUB_EVENT_NAME: 'push',
    };
    const context = gitContextFromGithubEnv(env, given.payload);
    expect({ ref: context.ref, defaultBranch: context.defaultBranch }).toEqual(want);
  });
});

describe('event fixtures through computeMetadata', () => {
  test.each([
    { name: 'push-branch', want: { tagNames: ['dev', 'sha-860c190'], commitTag: 'c20241113' } },
    {
      name: 'push-tag',
      want: { tagNames: ['1.1.1', '1.1', '1', 'sha-860c190', 'latest'], commitTag: 'c20241114' },
    },
    { name: 'pull-request', want: { tagNames: ['pr-15', 'sha-a9c8c58'], commitTag: 'c20200110' } },
    { name: 'pull-request-head-sha', want: { tagNames: ['pr-15', 'sha-3370e22'], commitTag: 'c20200110' } },
    { name: 'pull-request-target', want: { tagNames: ['pr-15', 'sha-2665741'], commitTag: 'c20200110' } },
    { name: 'schedule', want: { tagNames: ['nightly', 'master', 'sha-860c190'], commitTag: 'c20200110' } },
  ])('$name with the default tags', async ({ name, want }) => {
    const context = gitContextFromGithubEnv(
      read(name, 'env.json') as Record<string, string>,
      read(name, 'payload.json'),
    );
    const defaults = await computeMetadata(
      metadataInput(context, { tags: undefined, listExistingTags: async () => [] }),
    );
    expect(defaults.tagNames).toEqual(want.tagNames);
    const dated = await computeMetadata(
      metadataInput(context, { tags: "type=raw,value=c{{commit_date 'YYYYMMDD'}}" }),
    );
    expect(dated.version).toBe(want.commitTag);
  });
});
