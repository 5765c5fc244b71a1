/**
 * RegistryError construction: one line that names the image and registry, the status and registry error code,
 * and a hint that says what to do. Secrets never enter these messages (only status, code and the registry's
 * own short message are used).
 */
import { RegistryError } from '../errors.js';
import { isRetryableNetworkError, isRetryableStatus, type RetryHint } from './retry.js';

export type OperationKind = 'pull' | 'push' | 'list' | 'delete' | 'ping';

/** What the client was doing, for messages: `push to 127.0.0.1:5000/team/app`. */
export interface Operation {
  readonly kind: OperationKind;
  readonly registry: string;
  readonly repository?: string;
  /** A tag or a digest. */
  readonly ref?: string;
}

/** A RegistryError that may carry a retry hint (transient status or network failure). */
export class RegistryRequestError extends RegistryError {
  retry: RetryHint | undefined;
}

export interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
}

export function describeOperation(op: Operation): string {
  const name = op.repository ? `${op.registry}/${op.repository}` : op.registry;
  const ref = op.ref === undefined ? '' : op.ref.includes(':') ? `@${op.ref}` : `:${op.ref}`;
  switch (op.kind) {
    case 'pull':
      return `pull of ${name}${ref}`;
    case 'push':
      return `push to ${name}${ref}`;
    case 'list':
      return `listing tags of ${name}`;
    case 'delete':
      return `delete of ${name}${ref}`;
    case 'ping':
      return `connecting to registry ${op.registry}`;
  }
}

/** Reads `{"errors":[{"code","message"}]}`; tolerates HTML and other non-JSON bodies. */
export function parseErrorBody(body: Buffer | string | undefined): ErrorBody {
  if (!body || body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString()) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
    if (!first) return {};
    return {
      ...(typeof first.code === 'string' ? { code: first.code } : {}),
      ...(typeof first.message === 'string' ? { message: first.message } : {}),
    };
  } catch {
    return {};
  }
}

export interface HttpErrorContext {
  /** Whether credentials were sent (401 then means "rejected", not "required"). */
  readonly authenticated: boolean;
  readonly retryAfterMs?: number;
  /** The blob or manifest the request was about, for BLOB_UNKNOWN and friends. */
  readonly subject?: string;
  /** The 401 challenge said `error="insufficient_scope"`: the credentials work but lack access. */
  readonly insufficientScope?: boolean;
}

const defaultCodes: Readonly<Record<number, string>> = {
  401: 'UNAUTHORIZED',
  403: 'DENIED',
  429: 'TOOMANYREQUESTS',
};

/** The error for an unexpected HTTP status. */
export function httpError(
  op: Operation,
  status: number,
  body: ErrorBody,
  ctx: HttpErrorContext,
): RegistryRequestError {
  const code = body.code ?? defaultCodes[status];
  const { reason, hint } = explain(op, status, code, body.message, ctx);
  const err = new RegistryRequestError(
    `${describeOperation(op)} failed: ${reason} (${status}${code ? ` ${code}` : ''})`,
    {
      hint,
      registry: op.registry,
      ...(op.repository !== undefined ? { repository: op.repository } : {}),
      status,
      ...(code !== undefined ? { code } : {}),
      retryable: isRetryableStatus(status),
    },
  );
  if (isRetryableStatus(status)) {
    err.retry = {
      reason: `${status}${code ? ` ${code}` : ''}`,
      ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}),
    };
  }
  return err;
}

interface Explanation {
  readonly reason: string;
  readonly hint: string;
}

/** What the parts of a message may use: registry, one-line registry message (`: …`), subject (` sha256:…`). */
interface MessageParts {
  readonly reg: string;
  readonly detail: string;
  readonly subject: string;
}

const corrupt = 'the local content changed or is corrupt; rebuild and push again';

/** Registry error codes (distribution spec) → reason and hint. */
const byCode: Readonly<Record<string, (p: MessageParts) => Explanation>> = {
  MANIFEST_UNKNOWN: () => ({ reason: 'not found', hint: 'check the image name and tag' }),
  NAME_UNKNOWN: () => ({
    reason: 'repository not found',
    hint: 'check the repository name; some registries need the repository created first',
  }),
  BLOB_UNKNOWN: (p) => ({
    reason: `blob${p.subject} not found`,
    hint: 'the image in the registry is incomplete; push it again',
  }),
  MANIFEST_BLOB_UNKNOWN: (p) => ({
    reason: `the manifest references a blob the registry does not have${p.detail}`,
    hint: 'push the image again; if it keeps failing, report it',
  }),
  MANIFEST_INVALID: (p) => ({
    reason: `the registry rejected the manifest${p.detail}`,
    hint: `check that ${p.reg} accepts this manifest type (OCI or Docker)`,
  }),
  DIGEST_INVALID: (p) => ({ reason: `digest mismatch${p.subject}`, hint: corrupt }),
  SIZE_INVALID: (p) => ({ reason: `size mismatch${p.subject}`, hint: corrupt }),
  NAME_INVALID: (p) => ({
    reason: 'invalid repository name',
    hint: `use a lowercase repository name that ${p.reg} allows`,
  }),
  TAG_INVALID: () => ({
    reason: 'invalid tag',
    hint: 'use a tag of letters, digits, _, . and - (at most 128)',
  }),
  BLOB_UPLOAD_UNKNOWN: (p) => ({ reason: `blob upload failed${p.detail}`, hint: 'push again' }),
  UNSUPPORTED: (p) => ({
    reason: `the registry does not support this operation${p.detail}`,
    hint: `check that ${p.reg} supports OCI images`,
  }),
};
const aliases: Readonly<Record<string, string>> = {
  MANIFEST_UNVERIFIED: 'MANIFEST_INVALID',
  BLOB_UPLOAD_INVALID: 'BLOB_UPLOAD_UNKNOWN',
};

function explain(
  op: Operation,
  status: number,
  code: string | undefined,
  message: string | undefined,
  ctx: HttpErrorContext,
): Explanation {
  const detail = message && message.length <= 200 && !/[\r\n]/.test(message) ? `: ${message}` : '';
  const byThisCode = code === undefined ? undefined : byCode[aliases[code] ?? code];
  if (byThisCode)
    return byThisCode({ reg: op.registry, detail, subject: ctx.subject ? ` ${ctx.subject}` : '' });
  return explainStatus(op, status, detail, ctx);
}

function explainStatus(op: Operation, status: number, detail: string, ctx: HttpErrorContext): Explanation {
  const reg = op.registry;
  if (status === 401 && ctx.authenticated && ctx.insufficientScope) {
    const may = op.kind === 'push' || op.kind === 'delete' ? 'push to' : 'pull';
    return {
      reason: 'access denied',
      hint: `check that your credentials for ${reg} may ${may} ${op.repository ?? 'this repository'}`,
    };
  }
  if (status === 401) {
    return {
      reason: ctx.authenticated ? 'credentials rejected' : 'authentication required',
      hint: `check the username/password for ${reg} or run docker login`,
    };
  }
  if (status === 403) {
    const may = op.kind === 'push' || op.kind === 'delete' ? 'push to' : 'pull';
    return {
      reason: 'access denied',
      hint: `check that your credentials for ${reg} may ${may} ${op.repository ?? 'this repository'}`,
    };
  }
  if (status === 404) return { reason: 'not found', hint: 'check the image name and tag' };
  if (status === 413)
    return { reason: `too large${detail}`, hint: `${reg} refused the size of this content` };
  if (status === 429)
    return { reason: 'rate limited', hint: `wait and retry later, or log in to ${reg} for a higher limit` };
  if (status >= 500) return { reason: 'registry error', hint: `${reg} is having trouble; retry later` };
  return {
    reason: `unexpected response${detail}`,
    hint: `check that ${reg} is an OCI distribution registry`,
  };
}

const tlsCodes =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** The error for a failed connection (refused, reset, DNS, TLS…). */
export function networkError(registry: string, err: unknown): RegistryRequestError {
  const code = ((err as NodeJS.ErrnoException)?.code ?? 'network error').toString();
  let message: string;
  let hint: string;
  if (tlsCodes.test(code)) {
    message = `cannot verify the TLS certificate of registry ${registry} (${code})`;
    hint = `fix the registry's certificate, or list ${registry} as an insecure registry if you trust it`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    message = `cannot resolve registry host ${registry} (${code})`;
    hint = 'check the registry name';
  } else if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    message = `registry ${registry} does not answer HTTPS (${code})`;
    hint = `list ${registry} as an insecure registry to allow plain HTTP`;
  } else {
    message = `cannot reach registry ${registry} (${code})`;
    hint = 'is the registry running and the address right?';
  }
  const retryable = isRetryableNetworkError(err);
  const out = new RegistryRequestError(message, { hint, registry, code, retryable, cause: err });
  if (retryable) out.retry = { reason: code };
  return out;
}

/** The retry classifier for client requests. */
export function retryHintOf(err: unknown): RetryHint | undefined {
  return err instanceof RegistryRequestError ? err.retry : undefined;
}
