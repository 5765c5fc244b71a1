/**
 * Blob upload: POST a session, then one monolithic `PUT <location>&digest=` with Content-Length. When a
 * registry rejects the monolithic PUT, fall back (for this and later blobs) to one PATCH without Content-Range
 * followed by an empty PUT. A retry restarts from a fresh POST with the body opened again.
 */
import type { Readable } from 'node:stream';
import { RegistryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { ScopeSet } from './auth/scope.js';
import type { Exchange, Requester, RequestSpec } from './requester.js';
import { discardResponse, type RequestBody } from './transport.js';

export interface BlobContent {
  readonly digest: Digest;
  readonly size: number;
  /** Opens the content from its start; called once per attempt. */
  open(): Readable;
  /** `false` when `open()` works only once: the upload is then never retried. */
  readonly reopenable?: boolean;
}

const octetStream = { 'content-type': 'application/octet-stream' };

export async function uploadBlob(
  rq: Requester,
  repository: string,
  blob: BlobContent,
  scopes: ScopeSet,
  session?: URL,
): Promise<void> {
  let first = true;
  const attempt = async (): Promise<void> => {
    const location = first && session ? session : await uploadSession(rq, repository, scopes);
    first = false;
    if (rq.quirks.monolithicPutRejected) return patchThenPut(rq, repository, blob, scopes, location);
    const done = await monolithicPut(rq, repository, blob, scopes, location);
    if (done) return;
    rq.quirks.monolithicPutRejected = true;
    rq.logger.debug(`${rq.registry} rejected a monolithic blob PUT; using PATCH + PUT from now on`);
    await patchThenPut(rq, repository, blob, scopes, await uploadSession(rq, repository, scopes));
  };
  if (blob.reopenable === false) return attempt();
  await rq.retrying(`upload of blob ${blob.digest} to ${repository}`, attempt);
  rq.logger.debug(`uploaded blob ${blob.digest} (${blob.size} bytes) to ${rq.registry}/${repository}`);
}

/** POST …/blobs/uploads/ → the session Location, resolved against the request URL. */
export async function uploadSession(rq: Requester, repository: string, scopes: ScopeSet): Promise<URL> {
  const spec: RequestSpec = {
    op: { kind: 'push', registry: rq.registry, repository },
    method: 'POST',
    target: `/v2/${repository}/blobs/uploads/`,
    scopes,
    retry: false,
  };
  const ex = await rq.request(spec);
  const location = ex.res.header('location');
  if (ex.res.status !== 202 || !location) throw await rq.failure(spec, ex);
  await discardResponse(ex.res);
  return new URL(location, ex.res.url);
}

/** true when stored; false when the registry refuses monolithic uploads. */
async function monolithicPut(
  rq: Requester,
  repository: string,
  blob: BlobContent,
  scopes: ScopeSet,
  location: URL,
): Promise<boolean> {
  const spec = putSpec(rq, repository, scopes, withDigest(location, blob.digest), streamBody(blob));
  const ex = await rq.request(spec);
  const status = ex.res.status;
  if (status === 201 || status === 204) return confirm(rq, repository, blob, ex).then(() => true);
  if (monolithicRejections.has(status)) {
    await discardResponse(ex.res);
    return false;
  }
  const failure = await rq.failure(spec, ex, blob.digest);
  const code = failure instanceof RegistryError ? failure.code : undefined;
  if (status === 400 && (code === undefined || code === 'BLOB_UPLOAD_INVALID' || code === 'UNSUPPORTED'))
    return false;
  throw failure;
}

async function patchThenPut(
  rq: Requester,
  repository: string,
  blob: BlobContent,
  scopes: ScopeSet,
  location: URL,
): Promise<void> {
  const patch: RequestSpec = {
    op: { kind: 'push', registry: rq.registry, repository },
    method: 'PATCH',
    target: location,
    headers: octetStream,
    body: streamBody(blob),
    scopes,
    retry: false,
  };
  const ex = await rq.request(patch);
  const next = ex.res.header('location');
  if (ex.res.status !== 202 || !next) throw await rq.failure(patch, ex, blob.digest);
  await discardResponse(ex.res);
  const put = putSpec(rq, repository, scopes, withDigest(new URL(next, ex.res.url), blob.digest), undefined);
  const done = await rq.request(put);
  if (done.res.status !== 201 && done.res.status !== 204) throw await rq.failure(put, done, blob.digest);
  await confirm(rq, repository, blob, done);
}

function putSpec(
  rq: Requester,
  repository: string,
  scopes: ScopeSet,
  url: URL,
  body: RequestBody | undefined,
): RequestSpec {
  return {
    op: { kind: 'push', registry: rq.registry, repository },
    method: 'PUT',
    target: url,
    headers: octetStream,
    ...(body ? { body } : {}),
    scopes,
    retry: false,
  };
}

function streamBody(blob: BlobContent): RequestBody {
  return { kind: 'stream', size: blob.size, open: () => blob.open() };
}

/** Appends `digest` to a Location that may already carry a query (`_state=…`). */
export function withDigest(location: URL, digest: Digest): URL {
  const url = new URL(location);
  const param = `digest=${encodeURIComponent(digest)}`;
  url.search = url.search && url.search !== '?' ? `${url.search}&${param}` : `?${param}`;
  return url;
}

async function confirm(rq: Requester, repository: string, blob: BlobContent, ex: Exchange): Promise<void> {
  await discardResponse(ex.res);
  const stored = ex.res.header('docker-content-digest');
  if (stored !== undefined && stored !== blob.digest) {
    throw new RegistryError(
      `push to ${rq.registry}/${repository} failed: blob ${blob.digest} was stored as ${stored}`,
      {
        hint: 'the local content changed during the upload; rebuild and push again',
        registry: rq.registry,
        repository,
      },
    );
  }
}

/** Statuses meaning "this registry does not take the whole blob in one PUT" (plus 400 without a specific code). */
const monolithicRejections = new Set([405, 411, 413, 415, 416, 501]);
