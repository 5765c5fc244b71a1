/**
 * Image references, normalised exactly as Docker does (distribution/reference `ParseNormalizedNamed` +
 * `TagNameOnly`): `ubuntu` → `docker.io/library/ubuntu:latest`.
 */
import { InputError } from '../errors.js';
import type { Digest } from '../oci/digest.js';

export interface Reference {
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000`, `localhost`, `[::1]:5000`… (not the API host: see registryApiHost). */
  readonly registry: string;
  /** The path inside the registry: `library/ubuntu`, `owner/app`. */
  readonly repository: string;
  /** Present unless the reference has only a digest; `latest` when neither was given. */
  readonly tag?: string;
  readonly digest?: Digest;
}

export interface ParseReferenceOptions {
  /** The input name used in errors (default `image`). */
  readonly input?: string;
}

export const dockerHubRegistry = 'docker.io';
const legacyDockerHub = 'index.docker.io';
const officialPrefix = 'library/';
const defaultTag = 'latest';
const nameTotalLengthMax = 255;

// distribution/reference regexp.go, transcribed from its grammar.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(
  `^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`,
);
const anchoredName = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const identifierRegexp = /^[a-f0-9]{64}$/;
const tagRegexp = new RegExp(`^${tagPattern}$`);

/** Parses an image reference the way `docker pull` does; throws InputError naming `options.input`. */
export function parseReference(s: string, options: ParseReferenceOptions = {}): Reference {
  const input = options.input ?? 'image';
  const fail = (message: string, hint?: string): never => {
    throw new InputError(input, message, hint ? { hint } : {});
  };
  if (s === '') fail('image reference is empty', 'give a name such as ghcr.io/owner/app:1.0');
  if (identifierRegexp.test(s)) {
    fail(
      `invalid repository name ${JSON.stringify(s)}: a 64-character hexadecimal string is an image ID, not a name`,
    );
  }
  const [domain, remainder] = splitDockerDomain(s);
  const remote = remainder.split(':', 1)[0]!;
  if (remote.toLowerCase() !== remote) {
    fail(
      `repository name ${JSON.stringify(remote)} in ${JSON.stringify(s)} must be lowercase`,
      `use ${JSON.stringify(lowercaseName(s))}`,
    );
  }
  const full = `${domain}/${remainder}`;
  const m = referenceRegexp.exec(full);
  if (!m) return fail(...describeInvalid(s, remainder));
  const name = m[1]!;
  if (name.length > nameTotalLengthMax) {
    fail(`repository name in ${JSON.stringify(s)} is longer than ${nameTotalLengthMax} characters`);
  }
  const parts = anchoredName.exec(name)!;
  const digest = m[3] === undefined ? undefined : parseReferenceDigest(m[3], s, fail);
  const tag = m[2] ?? (digest === undefined ? defaultTag : undefined);
  return {
    registry: parts[1]!,
    repository: parts[2]!,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `registry/repository[:tag][@digest]`, fully qualified (`docker.io/library/ubuntu:latest`). */
export function formatReference(ref: Reference): string {
  const tag = ref.tag !== undefined ? `:${ref.tag}` : '';
  const digest = ref.digest !== undefined ? `@${ref.digest}` : '';
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** The short form Docker prints: `ubuntu:latest`, `owner/app:1`, `ghcr.io/owner/app:1`. */
export function familiarReference(ref: Reference): string {
  let name = `${ref.registry}/${ref.repository}`;
  if (ref.registry === dockerHubRegistry) {
    name = ref.repository;
    const rest = name.startsWith(officialPrefix) ? name.slice(officialPrefix.length) : undefined;
    if (rest !== undefined && !rest.includes('/')) name = rest;
  }
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The host that serves the registry API: `registry-1.docker.io` for Docker Hub, else the registry itself. */
export function registryApiHost(registry: string): string {
  return registry === dockerHubRegistry ? 'registry-1.docker.io' : registry;
}

/** True for a valid tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return tagRegexp.test(tag);
}

/** distribution/reference splitDockerDomain. */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [dockerHubRegistry, officialPrefix + name];
  const maybeDomain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, rest];
  else if (maybeDomain === legacyDockerHub) [domain, remote] = [dockerHubRegistry, rest];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, rest];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, rest];
  else [domain, remote] = [dockerHubRegistry, name];
  if (domain === dockerHubRegistry && !remote.includes('/')) remote = officialPrefix + remote;
  return [domain, remote];
}

/** The reference with its name lowercased and its tag/digest kept: the suggestion for an upper-case name. */
function lowercaseName(s: string): string {
  const at = s.indexOf('@');
  const beforeDigest = at < 0 ? s : s.slice(0, at);
  const colon = beforeDigest.lastIndexOf(':');
  const nameEnd = colon > beforeDigest.lastIndexOf('/') ? colon : beforeDigest.length;
  return s.slice(0, nameEnd).toLowerCase() + s.slice(nameEnd);
}

function describeInvalid(s: string, remainder: string): [string, string] {
  const at = remainder.indexOf('@');
  const beforeDigest = at < 0 ? remainder : remainder.slice(0, at);
  const colon = beforeDigest.lastIndexOf(':');
  if (colon > 0 && !beforeDigest.slice(colon).includes('/')) {
    const tag = beforeDigest.slice(colon + 1);
    if (!tagRegexp.test(tag) && new RegExp(`^${remoteName}$`).test(beforeDigest.slice(0, colon))) {
      return [
        `invalid tag ${JSON.stringify(tag)} in ${JSON.stringify(s)}`,
        'a tag is up to 128 letters, digits, _, . and - and must not start with . or -',
      ];
    }
  }
  if (at >= 0) {
    return [
      `invalid image reference ${JSON.stringify(s)}`,
      'a digest is written @sha256: followed by 64 lowercase hex digits',
    ];
  }
  return [
    `invalid image reference ${JSON.stringify(s)}`,
    'expected [registry/]repository[:tag][@digest] with a lowercase repository, e.g. ghcr.io/owner/app:1.0',
  ];
}

function parseReferenceDigest(d: string, s: string, fail: (m: string, h?: string) => never): Digest {
  if (!d.startsWith('sha256:')) {
    return fail(`unsupported digest algorithm in ${JSON.stringify(s)}`, 'only sha256 digests are supported');
  }
  if (!/^sha256:[a-f0-9]{64}$/.test(d)) {
    return fail(
      `invalid digest ${JSON.stringify(d)} in ${JSON.stringify(s)}`,
      'a sha256 digest has exactly 64 lowercase hex digits',
    );
  }
  return d as Digest;
}
