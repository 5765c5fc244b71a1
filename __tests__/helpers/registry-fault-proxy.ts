/**
 * A loopback HTTP proxy in front of a test registry that records every request and injects faults.
 *
 *   const reg = await startRegistry({ auth: 'none' });
 *   const proxy = await startFaultProxy({ target: reg.url });
 *   proxy.addRule({ match: isBlobUpload, fault: { kind: 'status', status: 503 }, times: 2 });
 *   // point the client at proxy.host ('127.0.0.1:PORT') instead of reg.host; the registry sees the proxy's
 *   // Host header, so the Locations it returns lead back through the proxy.
 *   proxy.log        // [{ side, method, path, status, fault?, authorization }]
 *   await proxy.stop();
 *
 * Faults: `status` (answer with a status/headers/body instead of forwarding), `reset` (destroy the connection
 * without answering), `reset-mid-body` (forward, then cut the response body halfway), `corrupt-body` (forward
 * with one byte of the body flipped), `redirect` (307 to the same path on the proxy's second origin, `altUrl`),
 * `delay` (forward after a pause) and `relative-location` (forward, making the Location header a path).
 * `peakInFlight()` reports the most requests in flight at once (to observe client concurrency).
 * The second origin forwards to the registry too, replacing any Authorization with `altAuthorization` (if set)
 * and logging whether the request carried one — for checking that credentials do not follow cross-origin
 * redirects. Rules apply in order; each applies `times` times (default: always).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'reset-mid-body' }
  | { readonly kind: 'corrupt-body' }
  | { readonly kind: 'redirect' }
  /** Forward after a pause (to make concurrency observable; never used for timing assertions). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Forward, and turn an absolute Location header into a path (as some registries send it). */
  | { readonly kind: 'relative-location' };

export interface ProxyRequestInfo {
  readonly method: string;
  /** Path with query. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export interface FaultRule {
  readonly name?: string;
  readonly match: (req: ProxyRequestInfo) => boolean;
  readonly fault: Fault;
  readonly times?: number;
}

export interface ProxyLogEntry {
  readonly side: 'main' | 'alt';
  readonly method: string;
  readonly path: string;
  /** The status the client saw, or `reset`. */
  readonly status: number | 'reset';
  readonly fault?: Fault['kind'];
  readonly authorization: boolean;
  /** The request's headers (Authorization included: tests only). */
  readonly headers: IncomingMessage['headers'];
}

export interface FaultProxyOptions {
  /** The registry URL, e.g. `http://127.0.0.1:5000`. */
  readonly target: string;
  /** Authorization the second origin sends upstream instead of the client's. */
  readonly altAuthorization?: string;
}

export interface FaultProxy {
  readonly host: string;
  readonly url: string;
  readonly altUrl: string;
  readonly log: ProxyLogEntry[];
  addRule(rule: FaultRule): void;
  clearRules(): void;
  /** Requests seen on the main side matching a predicate. */
  count(match: (e: ProxyLogEntry) => boolean): number;
  /** The most main-side requests that were in flight at once since the last reset. */
  peakInFlight(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

/** Predicates for common requests. */
export const isBlobGet = (r: ProxyRequestInfo): boolean =>
  r.method === 'GET' && /\/blobs\/sha256:/.test(r.path);
export const isBlobHead = (r: ProxyRequestInfo): boolean =>
  r.method === 'HEAD' && /\/blobs\/sha256:/.test(r.path);
export const isUploadStart = (r: ProxyRequestInfo): boolean =>
  r.method === 'POST' && /\/blobs\/uploads\/?(\?|$)/.test(r.path);
export const isBlobPut = (r: ProxyRequestInfo): boolean =>
  r.method === 'PUT' && /\/blobs\/uploads\//.test(r.path);
export const isManifestPut = (r: ProxyRequestInfo): boolean =>
  r.method === 'PUT' && /\/manifests\//.test(r.path);

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const state: ProxyState = {
    target: new URL(options.target),
    rules: [],
    log: [],
    altUrl: '',
    inFlight: 0,
    peak: 0,
  };
  const main = createServer((req, res) => handleMain(state, req, res));
  const alt = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.authorization;
    if (options.altAuthorization) headers.authorization = options.altAuthorization;
    const entry = {
      side: 'alt' as const,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: !!req.headers.authorization,
      headers: req.headers,
    };
    forward(state.target, req, res, headers, (status) => state.log.push({ ...entry, status }));
  });
  const mainPort = await listen(main);
  state.altUrl = `http://127.0.0.1:${await listen(alt)}`;
  return {
    host: `127.0.0.1:${mainPort}`,
    url: `http://127.0.0.1:${mainPort}`,
    altUrl: state.altUrl,
    log: state.log,
    addRule: (rule) => state.rules.push({ rule, left: rule.times ?? Infinity }),
    clearRules: () => void state.rules.splice(0),
    count: (match) => state.log.filter((e) => e.side === 'main' && match(e)).length,
    peakInFlight: () => state.peak,
    resetPeak: () => void (state.peak = state.inFlight),
    stop: async () => {
      await Promise.all([close(main), close(alt)]);
    },
  };
}

interface ProxyState {
  readonly target: URL;
  readonly rules: { rule: FaultRule; left: number }[];
  readonly log: ProxyLogEntry[];
  altUrl: string;
  inFlight: number;
  peak: number;
}

/** The main side: log the request, then apply the first matching rule's fault or forward it. */
function handleMain(state: ProxyState, req: IncomingMessage, res: ServerResponse): void {
  state.inFlight++;
  state.peak = Math.max(state.peak, state.inFlight);
  res.on('close', () => state.inFlight--);
  const info: ProxyRequestInfo = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
  const slot = state.rules.find((r) => r.left > 0 && r.rule.match(info));
  if (slot) slot.left--;
  const record = (status: number | 'reset', fault?: Fault['kind']): void => {
    state.log.push({
      side: 'main',
      method: info.method,
      path: info.path,
      status,
      authorization: !!req.headers.authorization,
      headers: req.headers,
      ...(fault ? { fault } : {}),
    });
  };
  if (!slot) return forward(state.target, req, res, req.headers, (s) => record(s));
  applyFault(slot.rule.fault, state.target, req, res, state.altUrl, record);
}

function applyFault(
  fault: Fault,
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  altUrl: string,
  record: (status: number | 'reset', fault?: Fault['kind']) => void,
): void {
  switch (fault.kind) {
    case 'status':
      req.resume();
      record(fault.status, 'status');
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers ?? {}) });
      return void res.end(fault.body ?? '');
    case 'reset':
      record('reset', 'reset');
      return void req.socket.destroy();
    case 'redirect':
      req.resume();
      record(307, 'redirect');
      res.writeHead(307, { location: `${altUrl}${req.url ?? '/'}`, 'content-length': '0' });
      return void res.end();
    case 'reset-mid-body':
    case 'corrupt-body':
      return forwardAltered(fault.kind, target, req, res, record);
    case 'delay': {
      const timer = setTimeout(
        () => forward(target, req, res, req.headers, (s) => record(s, 'delay')),
        fault.ms,
      );
      return void res.on('close', () => clearTimeout(timer));
    }
    case 'relative-location':
      return forward(target, req, res, req.headers, (s) => record(s, 'relative-location'), relativeLocation);
  }
}

function forward(
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  headers: IncomingMessage['headers'],
  done: (status: number) => void,
  rewrite: (h: IncomingMessage['headers']) => IncomingMessage['headers'] = (h) => h,
): void {
  const up = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (upRes) => {
      done(upRes.statusCode ?? 0);
      res.writeHead(upRes.statusCode ?? 502, rewrite(upRes.headers));
      upRes.pipe(res);
    },
  );
  up.on('error', () => res.destroy());
  req.pipe(up);
}

function relativeLocation(h: IncomingMessage['headers']): IncomingMessage['headers'] {
  if (!h.location) return h;
  const u = new URL(h.location, 'http://placeholder');
  return { ...h, location: `${u.pathname}${u.search}` };
}

/** Forwards, then alters the response body: cut halfway (and reset) or one byte flipped. */
function forwardAltered(
  kind: 'reset-mid-body' | 'corrupt-body',
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  record: (status: number | 'reset', fault?: Fault['kind']) => void,
): void {
  const up = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (upRes) => {
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        if (kind === 'corrupt-body' && body.length > 0) {
          body[body.length >> 1] = body[body.length >> 1]! ^ 0xff;
          record(upRes.statusCode ?? 0, kind);
          return void res.end(body);
        }
        record('reset', kind);
        res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      });
    },
  );
  up.on('error', () => res.destroy());
  req.pipe(up);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
