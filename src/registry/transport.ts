/**
 * HTTP(S) for the registry client on `node:http`/`node:https`: keep-alive agents, an idle timeout, exact
 * `Content-Length` on streamed bodies, and redirects (GET/HEAD only) that never forward `Authorization` to
 * another origin.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A request body: bytes (re-sendable) or a stream that can be opened again for each attempt. */
export type RequestBody =
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'stream'; readonly size: number; open(): Readable };

export interface TransportRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
  /** Verify HTTPS certificates of the request's own origin (other origins reached by redirect always verify). */
  readonly verifyTls: boolean;
  readonly followRedirects?: boolean;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  readonly url: URL;
  readonly body: IncomingMessage;
  header(name: string): string | undefined;
}

export interface TransportOptions {
  readonly userAgent: string;
  /** Socket idle timeout. */
  readonly timeoutMs: number;
  readonly maxSockets?: number;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;

export class Transport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  private readonly httpsInsecure: HttpsAgent;

  constructor(private readonly options: TransportOptions) {
    const common = { keepAlive: true, maxSockets: options.maxSockets ?? 16, scheduling: 'lifo' as const };
    this.http = new HttpAgent(common);
    this.https = new HttpsAgent(common);
    this.httpsInsecure = new HttpsAgent({ ...common, rejectUnauthorized: false });
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const res = await this.sendOnce(current);
      const location = res.headers.location;
      const follow = current.followRedirects && redirectStatuses.has(res.status) && location;
      if (!follow || hop >= maxRedirects) return res;
      res.body.resume();
      current = redirected(current, new URL(location, current.url), req.url);
    }
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
    this.httpsInsecure.destroy();
  }

  private sendOnce(req: TransportRequest): Promise<TransportResponse> {
    const isHttps = req.url.protocol === 'https:';
    const agent = isHttps ? (req.verifyTls ? this.https : this.httpsInsecure) : this.http;
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...(req.headers ?? {}) };
    if (req.body) headers['content-length'] = String(bodySize(req.body));
    else if (req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH')
      headers['content-length'] = '0';
    const send = isHttps ? httpsRequest : httpRequest;
    return new Promise<TransportResponse>((resolve, reject) => {
      const r = send(req.url, { method: req.method, headers, agent }, (res) => {
        res.setTimeout(this.options.timeoutMs, () => res.destroy(timeoutError(req)));
        resolve(wrapResponse(res, req.url));
      });
      r.setTimeout(this.options.timeoutMs, () => r.destroy(timeoutError(req)));
      r.on('error', reject);
      writeBody(r, req.body, reject);
    });
  }
}

function bodySize(body: RequestBody): number {
  return body.kind === 'bytes' ? body.data.byteLength : body.size;
}

function writeBody(r: ClientRequest, body: RequestBody | undefined, fail: (e: Error) => void): void {
  if (!body) return void r.end();
  if (body.kind === 'bytes') return void r.end(body.data);
  const stream = body.open();
  stream.on('error', (err) => {
    fail(err);
    r.destroy(err);
  });
  stream.pipe(r);
}

function wrapResponse(res: IncomingMessage, url: URL): TransportResponse {
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    url,
    body: res,
    header(name: string): string | undefined {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** The request to send to a redirect target: GET/HEAD only, no Authorization across origins. */
function redirected(prev: TransportRequest, target: URL, original: URL): TransportRequest {
  const sameOrigin = target.origin === original.origin;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(prev.headers ?? {})) {
    if (k.toLowerCase() === 'authorization' && !sameOrigin) continue;
    headers[k] = v;
  }
  return {
    method: prev.method === 'HEAD' ? 'HEAD' : 'GET',
    url: target,
    headers,
    verifyTls: sameOrigin ? prev.verifyTls : true,
    followRedirects: true,
  };
}

function timeoutError(req: TransportRequest): Error {
  const err = new Error(`${req.method} ${req.url.host} timed out`) as NodeJS.ErrnoException;
  err.code = 'ETIMEDOUT';
  return err;
}

/** Reads a whole response body, failing beyond `limit` bytes. */
export async function readResponseBody(res: TransportResponse, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.body.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Drains a response so its socket can be reused. */
export async function discardResponse(res: TransportResponse): Promise<void> {
  if (res.body.readableEnded) return;
  res.body.resume();
  await new Promise<void>((resolve) => {
    res.body.once('end', resolve);
    res.body.once('close', resolve);
    res.body.once('error', () => resolve());
  });
}
