/** Blob operations: existence, verified download, cross-repository mount, upload. */
import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { RegistryError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { ScopeSet } from './auth/scope.js';
import type { Requester, RequestSpec } from './requester.js';
import { discardResponse } from './transport.js';
import { uploadSession } from './blob-upload.js';

export { uploadBlob, type BlobContent } from './blob-upload.js';

export type MountResult = { readonly kind: 'mounted' } | { readonly kind: 'session'; readonly location: URL };

export async function blobExists(
  rq: Requester,
  repository: string,
  digest: Digest,
  scopes: ScopeSet,
): Promise<boolean> {
  const push = scopes.required.some((s) => s.actions.includes('push'));
  const spec: RequestSpec = {
    op: { kind: push ? 'push' : 'pull', registry: rq.registry, repository },
    method: 'HEAD',
    target: `/v2/${repository}/blobs/${digest}`,
    scopes,
  };
  const ex = await rq.request(spec);
  await discardResponse(ex.res);
  if (ex.res.status === 200) return true;
  if (ex.res.status !== 404)
    rq.logger.debug(`HEAD blob ${digest} in ${repository} answered ${ex.res.status}: uploading`);
  return false;
}

export async function fetchBlob(
  rq: Requester,
  repository: string,
  digest: Digest,
  size: number | undefined,
  scopes: ScopeSet,
): Promise<Readable> {
  const spec: RequestSpec = {
    op: { kind: 'pull', registry: rq.registry, repository, ref: digest },
    method: 'GET',
    target: `/v2/${repository}/blobs/${digest}`,
    scopes,
    followRedirects: true,
  };
  const ex = await rq.request(spec);
  if (ex.res.status !== 200) throw await rq.failure(spec, ex, digest);
  const verifier = new VerifyingStream(digest, size, `${rq.registry}/${repository}`, rq.registry);
  return pipeline(ex.res.body, verifier, () => undefined);
}

/** POST …/uploads/?mount=&from=: 201 mounted; 202 opens an upload session we reuse. */
export async function mountBlob(
  rq: Requester,
  repository: string,
  digest: Digest,
  from: string,
  scopes: ScopeSet,
): Promise<MountResult> {
  if (rq.quirks.mountDenied.has(from))
    return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
  const auth = await rq.authorize(scopes, { kind: 'push', registry: rq.registry, repository });
  if (!auth.optionalGranted) {
    rq.quirks.mountDenied.add(from);
    rq.logger.debug(`no pull access to ${from} for mounting; uploading instead`);
    return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
  }
  const query = new URLSearchParams({ mount: digest, from });
  const spec: RequestSpec = {
    op: { kind: 'push', registry: rq.registry, repository },
    method: 'POST',
    target: `/v2/${repository}/blobs/uploads/?${query.toString()}`,
    scopes,
  };
  const ex = await rq.request(spec);
  if (ex.res.status === 201) {
    await discardResponse(ex.res);
    return { kind: 'mounted' };
  }
  const location = ex.res.header('location');
  if (ex.res.status === 202 && location) {
    await discardResponse(ex.res);
    return { kind: 'session', location: new URL(location, ex.res.url) };
  }
  if (ex.res.status === 401 || ex.res.status === 403) {
    await discardResponse(ex.res);
    rq.quirks.mountDenied.add(from);
    rq.logger.debug(`mount of ${digest} from ${from} refused (${ex.res.status}); uploading instead`);
    return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
  }
  throw await rq.failure(spec, ex, digest);
}

/** Hashes what flows through and fails at the end unless it matches the expected digest and size. */
class VerifyingStream extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;

  constructor(
    private readonly digest: Digest,
    private readonly expectedSize: number | undefined,
    private readonly name: string,
    private readonly registry: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.expectedSize !== undefined && this.size > this.expectedSize) {
      return cb(this.mismatch(`more than the expected ${this.expectedSize} bytes`));
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const got = `sha256:${this.hash.digest('hex')}`;
    if (this.expectedSize !== undefined && this.size !== this.expectedSize) {
      return cb(this.mismatch(`${this.size} bytes instead of ${this.expectedSize}`));
    }
    if (got !== this.digest) return cb(this.mismatch(`content with digest ${got}`));
    cb();
  }

  private mismatch(what: string): RegistryError {
    return new RegistryError(`pull of ${this.name} failed: blob ${this.digest} arrived as ${what}`, {
      hint: 'the registry or a proxy corrupted the download; retry the pull',
      registry: this.registry,
      code: 'DIGEST_MISMATCH',
    });
  }
}
