/**
 * A loopback stand-in for the GitHub REST API's issue-comment endpoints (GITHUB_API_URL points at it). It keeps
 * comments per pull request and records every call, so tests can assert on what the action sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface StoredComment {
  readonly id: number;
  body: string;
}

export interface GithubApi {
  readonly url: string;
  readonly calls: ApiCall[];
  /** Comments by `owner/repo#number`. */
  readonly comments: Map<string, StoredComment[]>;
  /** Answer every call with this status (e.g. 403 for a read-only token); undefined to behave. */
  failWith: number | undefined;
  stop(): Promise<void>;
}

export async function startGithubApi(): Promise<GithubApi> {
  const calls: ApiCall[] = [];
  const comments = new Map<string, StoredComment[]>();
  let nextId = 1000;
  const api: Partial<GithubApi> & { failWith: number | undefined } = { failWith: undefined };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = (req.url ?? '').split('?')[0]!;
      calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (api.failWith !== undefined)
        return send(res, api.failWith, { message: 'Resource not accessible by integration' });
      const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
      const one = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
      if (list && req.method === 'GET')
        return send(res, 200, (comments.get(`${list[1]}#${list[2]}`) ?? []).map(view));
      if (list && req.method === 'POST') {
        const comment = { id: nextId++, body: String((body as { body?: unknown }).body) };
        comments.set(`${list[1]}#${list[2]}`, [...(comments.get(`${list[1]}#${list[2]}`) ?? []), comment]);
        return send(res, 201, view(comment));
      }
      if (one && req.method === 'PATCH') {
        const comment = [...comments.values()].flat().find((c) => c.id === Number(one[2]));
        if (!comment) return send(res, 404, { message: 'Not Found' });
        comment.body = String((body as { body?: unknown }).body);
        return send(res, 200, view(comment));
      }
      return send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    calls,
    comments,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as GithubApi;
}

function view(c: StoredComment): object {
  return {
    id: c.id,
    body: c.body,
    html_url: `https://github.test/comments/${c.id}`,
    user: { login: 'github-actions[bot]' },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
