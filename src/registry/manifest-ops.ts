/** Manifest and tag operations of the distribution API. */
import { RegistryError } from '../errors.js';
import { isDigest, sha256, type Digest } from '../oci/digest.js';
import { manifestMediaTypes } from '../oci/media-types.js';
import { repositoryScope, type ScopeSet } from './auth/scope.js';
import type { Operation } from './errors.js';
import type { Requester, RequestSpec } from './requester.js';
import { discardResponse, readResponseBody } from './transport.js';

export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: Digest;
}

export interface ManifestHead {
  /** From Docker-Content-Digest; some registries omit it on HEAD. */
  readonly digest?: Digest;
  readonly mediaType?: string;
  readonly size?: number;
}

/** Manifests larger than this are refused on pull (registries cap pushes at 4 MiB). */
const maxManifestBytes = 8 * 1024 * 1024;

export async function getManifest(
  rq: Requester,
  repository: string,
  ref: string,
  accept: readonly string[] = manifestMediaTypes,
): Promise<FetchedManifest> {
  const spec = manifestSpec(rq, 'GET', repository, ref, {
    required: [repositoryScope(repository, false)],
    optional: [],
  });
  const ex = await rq.request({ ...spec, headers: { accept: accept.join(', ') } });
  if (ex.res.status !== 200) throw await rq.failure(spec, ex);
  const bytes = await readResponseBody(ex.res, maxManifestBytes).catch((err: unknown) => {
    throw new RegistryError(`pull of ${rq.registry}/${repository}:${ref} failed: ${(err as Error).message}`, {
      hint: 'the registry sent an oversized or broken manifest',
      registry: rq.registry,
      repository,
    });
  });
  const digest = sha256(bytes);
  const claimed = ex.res.header('docker-content-digest');
  const expected = isDigest(ref) ? ref : claimed !== undefined && isDigest(claimed) ? claimed : undefined;
  if (expected !== undefined && expected !== digest) {
    throw new RegistryError(
      `pull of ${rq.registry}/${repository}@${expected} failed: the manifest received has digest ${digest}`,
      {
        hint: 'the registry or a proxy altered the manifest; retry, and report it if it persists',
        registry: rq.registry,
        repository,
      },
    );
  }
  return { bytes, mediaType: manifestMediaType(ex.res.header('content-type'), bytes), digest };
}

export async function headManifest(
  rq: Requester,
  repository: string,
  ref: string,
  scopes: ScopeSet,
): Promise<ManifestHead | undefined> {
  const spec = manifestSpec(rq, 'HEAD', repository, ref, scopes);
  const ex = await rq.request({ ...spec, headers: { accept: manifestMediaTypes.join(', ') } });
  await discardResponse(ex.res);
  if (ex.res.status === 404) return undefined;
  if (ex.res.status !== 200) throw await rq.failure(spec, ex);
  const digest = ex.res.header('docker-content-digest');
  const type = ex.res.header('content-type');
  const length = ex.res.header('content-length');
  return {
    ...(digest !== undefined && isDigest(digest) ? { digest } : {}),
    ...(type ? { mediaType: stripParams(type) } : {}),
    ...(length !== undefined && /^\d+$/.test(length) ? { size: Number(length) } : {}),
  };
}

export async function putManifest(
  rq: Requester,
  repository: string,
  ref: string,
  bytes: Uint8Array,
  mediaType: string,
  scopes: ScopeSet,
): Promise<Digest> {
  const digest = sha256(bytes);
  const spec: RequestSpec = {
    ...manifestSpec(rq, 'PUT', repository, ref, scopes, 'push'),
    headers: { 'content-type': mediaType },
    body: { kind: 'bytes', data: bytes },
  };
  const ex = await rq.request(spec);
  if (ex.res.status !== 201 && ex.res.status !== 200) throw await rq.failure(spec, ex);
  await discardResponse(ex.res);
  const stored = ex.res.header('docker-content-digest');
  if (stored !== undefined && stored !== digest) {
    throw new RegistryError(
      `push to ${rq.registry}/${repository}:${ref} failed: the registry stored digest ${stored}, not ${digest}`,
      {
        hint: 'the registry altered the manifest; check that it supports this manifest type',
        registry: rq.registry,
        repository,
      },
    );
  }
  rq.logger.debug(
    `pushed manifest ${digest} to ${rq.registry}/${repository}${isDigest(ref) ? '@' : ':'}${ref}`,
  );
  return digest;
}

export async function deleteManifest(
  rq: Requester,
  repository: string,
  digest: Digest,
  scopes: ScopeSet,
): Promise<void> {
  const spec = manifestSpec(rq, 'DELETE', repository, digest, scopes, 'delete');
  const ex = await rq.request(spec);
  if (ex.res.status !== 202 && ex.res.status !== 200) throw await rq.failure(spec, ex);
  await discardResponse(ex.res);
}

/** All tags, following `Link: <…>; rel="next"` pages. */
export async function listTags(rq: Requester, repository: string, pageSize?: number): Promise<string[]> {
  const op: Operation = { kind: 'list', registry: rq.registry, repository };
  const scopes: ScopeSet = { required: [repositoryScope(repository, false)], optional: [] };
  const tags: string[] = [];
  let target: string | URL = `/v2/${repository}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
  for (let page = 0; page < 10_000; page++) {
    const spec: RequestSpec = { op, method: 'GET', target, scopes };
    const ex = await rq.request(spec);
    if (ex.res.status !== 200) throw await rq.failure(spec, ex);
    const body = JSON.parse((await readResponseBody(ex.res, 16 << 20)).toString('utf8')) as {
      tags?: unknown;
    };
    if (Array.isArray(body.tags)) tags.push(...body.tags.filter((t): t is string => typeof t === 'string'));
    const next = nextLink(ex.res.header('link'));
    if (!next) return tags;
    target = new URL(next, ex.res.url);
  }
  return tags;
}

function manifestSpec(
  rq: Requester,
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE',
  repository: string,
  ref: string,
  scopes: ScopeSet,
  kind: Operation['kind'] = scopes.required.some((s) => s.actions.includes('push')) ? 'push' : 'pull',
): RequestSpec {
  return {
    op: { kind, registry: rq.registry, repository, ref },
    method,
    target: `/v2/${repository}/manifests/${ref}`,
    scopes,
  };
}

/** The manifest's media type: Content-Type, unless generic, else the `mediaType` field. */
function manifestMediaType(contentType: string | undefined, bytes: Buffer): string {
  const ct = contentType ? stripParams(contentType) : '';
  if (ct && ct !== 'application/json' && ct !== 'text/plain' && ct !== 'application/octet-stream') return ct;
  try {
    const field = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof field === 'string') return field;
  } catch {
    // fall through: not JSON, reported by the caller's parser
  }
  return ct || 'application/octet-stream';
}

function stripParams(contentType: string): string {
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /rel\s*=\s*"?next"?/i.test(m[2]!)) return m[1];
  }
  return undefined;
}
