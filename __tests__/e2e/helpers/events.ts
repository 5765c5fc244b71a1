/** Event payloads as GitHub sends them (the fields the action and @actions/github read). */
import type { WorkflowEvent } from './runner.js';

export const repository = 'octo-org/hello-app';

const repo = {
  name: 'hello-app',
  full_name: repository,
  html_url: `https://github.com/${repository}`,
  default_branch: 'main',
  description: 'The e2e example',
  license: { spdx_id: 'MIT' },
  owner: { login: 'octo-org' },
};

export function branchPush(sha: string, branch = 'main'): WorkflowEvent {
  return {
    name: 'push',
    ref: `refs/heads/${branch}`,
    sha,
    payload: {
      ref: `refs/heads/${branch}`,
      after: sha,
      repository: repo,
      head_commit: { id: sha, timestamp: '2024-05-01T12:00:00Z' },
    },
  };
}

export function tagPush(sha: string, tag: string): WorkflowEvent {
  return {
    name: 'push',
    ref: `refs/tags/${tag}`,
    sha,
    payload: {
      ref: `refs/tags/${tag}`,
      after: sha,
      base_ref: 'refs/heads/main',
      repository: repo,
      head_commit: { id: sha, timestamp: '2024-05-01T12:00:00Z' },
    },
  };
}

export function releasePublished(sha: string, tag: string): WorkflowEvent {
  return {
    name: 'release',
    ref: `refs/tags/${tag}`,
    sha,
    payload: {
      action: 'published',
      release: { tag_name: tag, draft: false, prerelease: false },
      repository: repo,
    },
  };
}

export function pullRequest(
  sha: string,
  number: number,
  headRepository: string,
  name = 'pull_request',
): WorkflowEvent {
  const fork = headRepository !== repository;
  return {
    name,
    ref: name === 'pull_request' ? `refs/pull/${number}/merge` : 'refs/heads/main',
    sha,
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: { ref: 'feature', sha, repo: { full_name: headRepository, fork } },
        base: { ref: 'main', sha, repo },
      },
      repository: repo,
    },
  };
}

export function workflowDispatch(sha: string, branch: string): WorkflowEvent {
  return {
    name: 'workflow_dispatch',
    ref: `refs/heads/${branch}`,
    sha,
    payload: { inputs: {}, ref: `refs/heads/${branch}`, repository: repo },
  };
}

export function schedule(sha: string): WorkflowEvent {
  return {
    name: 'schedule',
    ref: 'refs/heads/main',
    sha,
    payload: { schedule: '0 3 * * *', repository: repo },
  };
}
