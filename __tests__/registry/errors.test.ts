import { httpError, networkError, parseErrorBody, type Operation } from '../../src/registry/errors.js';

const push: Operation = { kind: 'push', registry: 'ghcr.io', repository: 'owner/app', ref: 'v1' };
const pull: Operation = { kind: 'pull', registry: 'ghcr.io', repository: 'owner/app', ref: 'sha256:abc' };
const body = (code: string, message = 'registry says no') => ({ code, message });

interface HttpCase {
  readonly name: string;
  readonly given: {
    readonly op: Operation;
    readonly status: number;
    readonly body?: { code?: string; message?: string };
    readonly authenticated?: boolean;
    readonly insufficientScope?: boolean;
    readonly subject?: string;
  };
  readonly want: { readonly message: string; readonly retryable: boolean };
}

const cases: HttpCase[] = [
  {
    name: '401 without credentials',
    given: { op: push, status: 401 },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: authentication required (401 UNAUTHORIZED) — check the username/password for ghcr.io or run docker login',
      retryable: false,
    },
  },
  {
    name: '401 with credentials',
    given: { op: push, status: 401, authenticated: true },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: credentials rejected (401 UNAUTHORIZED) — check the username/password for ghcr.io or run docker login',
      retryable: false,
    },
  },
  {
    name: '401 insufficient scope with credentials',
    given: { op: push, status: 401, authenticated: true, insufficientScope: true },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: access denied (401 UNAUTHORIZED) — check that your credentials for ghcr.io may push to owner/app',
      retryable: false,
    },
  },
  {
    name: '403 on pull',
    given: { op: pull, status: 403, body: body('DENIED') },
    want: {
      message:
        'pull of ghcr.io/owner/app@sha256:abc failed: access denied (403 DENIED) — check that your credentials for ghcr.io may pull owner/app',
      retryable: false,
    },
  },
  {
    name: 'NAME_UNKNOWN',
    given: { op: push, status: 404, body: body('NAME_UNKNOWN') },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: repository not found (404 NAME_UNKNOWN) — check the repository name; some registries need the repository created first',
      retryable: false,
    },
  },
  {
    name: 'DIGEST_INVALID names the blob',
    given: { op: push, status: 400, body: body('DIGEST_INVALID'), subject: 'sha256:def' },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: digest mismatch sha256:def (400 DIGEST_INVALID) — the local content changed or is corrupt; rebuild and push again',
      retryable: false,
    },
  },
  {
    name: 'MANIFEST_UNVERIFIED reads like MANIFEST_INVALID, with the registry message',
    given: { op: push, status: 400, body: body('MANIFEST_UNVERIFIED', 'bad signature') },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: the registry rejected the manifest: bad signature (400 MANIFEST_UNVERIFIED) — check that ghcr.io accepts this manifest type (OCI or Docker)',
      retryable: false,
    },
  },
  {
    name: 'a multi-line registry message is left out',
    given: { op: push, status: 400, body: body('MANIFEST_INVALID', 'line one\nline two') },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: the registry rejected the manifest (400 MANIFEST_INVALID) — check that ghcr.io accepts this manifest type (OCI or Docker)',
      retryable: false,
    },
  },
  {
    name: '413',
    given: { op: push, status: 413 },
    want: {
      message:
        'push to ghcr.io/owner/app:v1 failed: too large (413) — ghcr.io refused the size of this content',
      retryable: false,
    },
  },
  {
    name: '429 is retryable',
    given: { op: pull, status: 429 },
    want: {
      message:
        'pull of ghcr.io/owner/app@sha256:abc failed: rate limited (429 TOOMANYREQUESTS) — wait and retry later, or log in to ghcr.io for a higher limit',
      retryable: true,
    },
  },
  {
    name: '502 is retryable',
    given: { op: pull, status: 502 },
    want: {
      message:
        'pull of ghcr.io/owner/app@sha256:abc failed: registry error (502) — ghcr.io is having trouble; retry later',
      retryable: true,
    },
  },
  {
    name: 'an unknown status',
    given: { op: { kind: 'list', registry: 'r.io', repository: 'a' }, status: 418 },
    want: {
      message:
        'listing tags of r.io/a failed: unexpected response (418) — check that r.io is an OCI distribution registry',
      retryable: false,
    },
  },
];

describe('httpError', () => {
  test.each(cases)('$name', ({ given, want }) => {
    const err = httpError(given.op, given.status, given.body ?? {}, {
      authenticated: given.authenticated ?? false,
      ...(given.insufficientScope ? { insufficientScope: true } : {}),
      ...(given.subject ? { subject: given.subject } : {}),
    });
    expect(err.userMessage()).toBe(want.message);
    expect(err.retryable).toBe(want.retryable);
    expect(err.retry !== undefined).toBe(want.retryable);
    expect(err.registry).toBe(given.op.registry);
    expect(err.status).toBe(given.status);
  });
});

describe('networkError', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  test.each([
    {
      name: 'refused',
      given: 'ECONNREFUSED',
      want: 'cannot reach registry r.io:5000 (ECONNREFUSED) — is the registry running and the address right?',
    },
    {
      name: 'DNS',
      given: 'ENOTFOUND',
      want: 'cannot resolve registry host r.io:5000 (ENOTFOUND) — check the registry name',
    },
    {
      name: 'self-signed',
      given: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      want: "cannot verify the TLS certificate of registry r.io:5000 (DEPTH_ZERO_SELF_SIGNED_CERT) — fix the registry's certificate, or list r.io:5000 as an insecure registry if you trust it",
    },
    {
      name: 'plain HTTP server',
      given: 'EPROTO',
      want: 'registry r.io:5000 does not answer HTTPS (EPROTO) — list r.io:5000 as an insecure registry to allow plain HTTP',
    },
    {
      name: 'reset',
      given: 'ECONNRESET',
      want: 'cannot reach registry r.io:5000 (ECONNRESET) — is the registry running and the address right?',
    },
  ])('$name', ({ given, want }) => {
    const err = networkError('r.io:5000', coded(given));
    expect(err.userMessage()).toBe(want);
    expect(err.retryable).toBe(given === 'ECONNRESET');
  });
});

describe('parseErrorBody', () => {
  test.each([
    {
      name: 'distribution JSON',
      given: '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}',
      want: { code: 'BLOB_UNKNOWN', message: 'blob unknown' },
    },
    { name: 'HTML from a proxy', given: '<html>502 Bad Gateway</html>', want: {} },
    { name: 'empty errors', given: '{"errors":[]}', want: {} },
    { name: 'nothing', given: '', want: {} },
  ])('$name', ({ given, want }) => {
    expect(parseErrorBody(given)).toEqual(want);
  });
});
