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
 * `token-expired` treats the bearer token the request carries as expired from then on: the request and every
 * later one with that token are forwarded without Authorization, so the registry answers its real 401 challenge
 * (a token that was never used before is not expired; the request is forwarded unchanged).
 * The second origin forwards to the registry too, replacing any Authorization with `altAuthorization` (if set)
 * and logging whether the request carried one — for checking that credentials do not follow cross-origin
 * redirects. Rules apply in order; each applies `times` times (default: always), to a `rate` fraction of the
 * requests it matches (default all) drawn from the proxy's random source (`seed` makes it repeatable). A rule's
 * `fault` may be a function choosing the fault per request (e.g. one of several kinds at random).
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
  | { readonly kind: 'relative-location' }
  /** The request's bearer token expires now (see the module comment). */
  | { readonly kind: 'token-expired' };

/** Chooses the fault for one request. */
export type FaultPicker = (req: ProxyRequestInfo, random: () => number) => Fault;

export interface ProxyRequestInfo {
  readonly method: string;
  /** Path with query. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export interface FaultRule {
  readonly name?: string;
  readonly match: (req: ProxyRequestInfo) => boolean;
  readonly fault: Fault | FaultPicker;
  readonly times?: number;
  /** The fraction of matching requests faulted (default 1). */
  readonly rate?: number;
}

export interface ProxyLogEntry {
  readonly side: 'main' | 'alt';
  readonly method: string;
  readonly path: string;
  /** The status the client saw, or `reset`. */
  readonly status: number | 'reset';
  /** The fault injected; `expired-token` for a later request still carrying a token that expired. */
  readonly fault?: Fault['kind'] | 'expired-token';
  readonly authorization: boolean;
  /** The request's headers (Authorization included: tests only). */
  readonly headers: IncomingMessage['headers'];
}

export interface FaultProxyOptions {
  /** The registry URL, e.g. `http://127.0.0.1:5000`. */
  readonly target: string;
  /** Authorization the second origin sends upstream instead of the client's. */
  readonly altAuthorization?: string;
  /** Seed of the random source that `rate` and fault pickers draw from (default: Math.random). */
  readonly seed?: number;
}

export interface FaultProxy {
  readonly host: string;
  readonly url: string;
  readonly altUrl: string;
  readonly log: ProxyLogEntry[];
  addRule(rule: FaultRule): void;
  clearRules(): void;
  /** Main-side requests that got a fault, by kind. */
  faultCounts(): Readonly<Record<string, number>>;
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
    random: options.seed === undefined ? Math.random : seededRandom(options.seed),
    tokenUses: new Map(),
    expired: new Set(),
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
    faultCounts: () => {
      const counts: Record<string, number> = {};
      for (const e of state.log)
        if (e.side === 'main' && e.fault) counts[e.fault] = (counts[e.fault] ?? 0) + 1;
      return counts;
    },
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
  readonly random: () => number;
  /** Bearer token → requests seen with it; tokens that expired. */
  readonly tokenUses: Map<string, number>;
  readonly expired: Set<string>;
}

/** mulberry32: a small seeded PRNG in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The main side: log the request, then apply the first matching rule's fault or forward it. */
function handleMain(state: ProxyState, req: IncomingMessage, res: ServerResponse): void {
  state.inFlight++;
  state.peak = Math.max(state.peak, state.inFlight);
  res.on('close', () => state.inFlight--);
  const info: ProxyRequestInfo = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
  const token = bearerToken(req.headers.authorization);
  if (token !== undefined) state.tokenUses.set(token, (state.tokenUses.get(token) ?? 0) + 1);
  const slot = state.rules.find(
    (r) => r.left > 0 && r.rule.match(info) && (r.rule.rate === undefined || state.random() < r.rule.rate),
  );
  if (slot) slot.left--;
  const record = (status: number | 'reset', fault?: ProxyLogEntry['fault']): void => {
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
  if (token !== undefined && state.expired.has(token))
    return forwardWithoutAuth(state, req, res, record, 'expired-token');
  if (!slot) return forward(state.target, req, res, req.headers, (s) => record(s));
  const fault = typeof slot.rule.fault === 'function' ? slot.rule.fault(info, state.random) : slot.rule.fault;
  if (fault.kind === 'token-expired') {
    if (token === undefined || (state.tokenUses.get(token) ?? 0) < 2)
      return forward(state.target, req, res, req.headers, (s) => record(s));
    state.expired.add(token);
    return forwardWithoutAuth(state, req, res, record, 'token-expired');
  }
  applyFault(fault, state.target, req, res, state.altUrl, record);
}

function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

function forwardWithoutAuth(
  state: ProxyState,
  req: IncomingMessage,
  res: ServerResponse,
  record: (status: number | 'reset', fault?: ProxyLogEntry['fault']) => void,
  kind: 'token-expired' | 'expired-token',
): void {
  const headers = { ...req.headers };
  delete headers.authorization;
  forward(state.target, req, res, headers, (s) => record(s, kind));
}

function applyFault(
  fault: Exclude<Fault, { kind: 'token-expired' }>,
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  altUrl: string,
  record: (status: number | 'reset', fault?: ProxyLogEntry['fault']) => void,
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
  record: (status: number | 'reset', fault?: ProxyLogEntry['fault']) => void,
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
