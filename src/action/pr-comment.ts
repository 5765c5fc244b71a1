/**
 * One comment per image on the pull request, found again by its hidden marker and updated in place. Any
 * failure (a read-only token, missing `pull-requests: write`, an API error) is a warning: the image is pushed.
 */
import { getOctokit } from '@actions/github';
import type { Logger } from '../log.js';

export interface CommentTarget {
  readonly token: string;
  /** `owner/repo` of the pull request. */
  readonly repository: string;
  readonly number: number;
  /** GITHUB_API_URL (GitHub Enterprise, or a test server). */
  readonly apiUrl: string;
}

export type CommentOutcome = 'created' | 'updated' | 'failed';

export async function upsertPrComment(
  target: CommentTarget,
  marker: string,
  body: string,
  logger: Logger,
): Promise<CommentOutcome> {
  const [owner = '', repo = ''] = target.repository.split('/');
  const octokit = getOctokit(target.token, { baseUrl: target.apiUrl });
  const where = { owner, repo, issue_number: target.number };
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100 });
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      logger.info(`updated the pull request comment ${mine.html_url}`);
      return 'updated';
    }
    const created = await octokit.rest.issues.createComment({ ...where, body });
    logger.info(`commented on the pull request: ${created.data.html_url}`);
    return 'created';
  } catch (err) {
    const status = (err as { status?: number }).status;
    const why = status === 403 || status === 404 ? ' (the token needs pull-requests: write)' : '';
    logger.warn(`could not comment on pull request #${target.number}${why}: ${oneLine(err)}`);
    return 'failed';
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}
