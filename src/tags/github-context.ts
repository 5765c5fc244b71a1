import { InputError } from '../errors.js';
import { applyPrHeadSha, findCommitDate, readPrHeadSha } from './switches.js';
import type { CommitFact, GitContext } from './types.js';

/**
 * The GitContext of a GitHub Actions run, from the runner's environment and the parsed event payload (both passed
 * in). Mirrors @actions/github's context plus metadata-action's adjustments: a `pull_request_target` run gets
 * `refs/pull/<number>/merge` instead of the base branch, DOCKER_METADATA_PR_HEAD_SHA switches PR runs to the head
 * commit, and the commit date comes from the payload's commits or head_commit when they hold the sha.
 */
export function gitContextFromGithubEnv(
  env: Readonly<Record<string, string | undefined>>,
  payload: unknown,
): GitContext {
  const event = asRecord(payload);
  const pr = asRecord(event.pull_request);
  const repo = asRecord(event.repository);
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const prNumber = numberAt(pr.number) ?? numberAt(event.number);
  const ref = /pull_request_target/.test(eventName)
    ? `refs/pull/${numberAt(event.number) ?? prNumber ?? ''}/merge`
    : (env.GITHUB_REF ?? '');
  const commits = commitsOf(event);
  const base: GitContext = {
    eventName,
    ref,
    sha: env.GITHUB_SHA ?? '',
    ...optional('prNumber', prNumber),
    ...optional('prHeadRef', stringAt(asRecord(pr.head).ref)),
    ...optional('prHeadSha', stringAt(asRecord(pr.head).sha)),
    ...optional('prBaseRef', stringAt(asRecord(pr.base).ref)),
    ...optional('pushBaseRef', stringAt(event.base_ref)),
    ...optional('defaultBranch', stringAt(repo.default_branch)),
    ...optional('commits', commits.length > 0 ? commits : undefined),
    repository: {
      ...repositoryName(env, repo),
      ...optional('htmlUrl', stringAt(repo.html_url)),
      ...optional('description', stringAt(repo.description)),
      ...optional('license', stringAt(asRecord(repo.license).spdx_id)),
    },
    runId: Number(env.GITHUB_RUN_ID ?? 0) || 0,
    runNumber: Number(env.GITHUB_RUN_NUMBER ?? 0) || 0,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1) || 1,
    ...optional('actor', env.GITHUB_ACTOR || undefined),
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
  };
  const context = applyPrHeadSha(base, readPrHeadSha(env));
  return { ...context, ...optional('commitDate', findCommitDate(commits, context.sha)) };
}

function repositoryName(
  env: Readonly<Record<string, string | undefined>>,
  repo: Record<string, unknown>,
): { owner: string; name: string } {
  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/', 2);
  if (owner && name) return { owner, name };
  const payloadOwner = stringAt(asRecord(repo.owner).login);
  const payloadName = stringAt(repo.name);
  if (payloadOwner && payloadName) return { owner: payloadOwner, name: payloadName };
  throw new InputError('env GITHUB_REPOSITORY', `"${env.GITHUB_REPOSITORY ?? ''}" is not owner/name`, {
    hint: 'run inside GitHub Actions or set GITHUB_REPOSITORY=owner/name',
  });
}

/** Push payloads list `commits`; tag pushes and others may only have `head_commit`. */
function commitsOf(event: Record<string, unknown>): CommitFact[] {
  const list = Array.isArray(event.commits) ? event.commits : [];
  const facts: CommitFact[] = [];
  for (const commit of [...list, event.head_commit].map(asRecord)) {
    const id = stringAt(commit.id);
    const timestamp = stringAt(commit.timestamp);
    if (id && timestamp && !facts.some((known) => known.id === id)) facts.push({ id, timestamp });
  }
  return facts;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
