/**
 * Which URL scheme a registry may be reached with. HTTPS with verified certificates by default; loopback
 * registries (localhost, 127.0.0.0/8, ::1) and registries the user lists as insecure may also use plain HTTP
 * and HTTPS with an untrusted certificate — as Docker treats them.
 */
import { isIP } from 'node:net';

export type Scheme = 'https' | 'http';

export interface EndpointPolicy {
  /** Schemes to try, in order. */
  readonly schemes: readonly Scheme[];
  /** Whether HTTPS certificates must verify. */
  readonly verifyTls: boolean;
}

/** Splits `host[:port]` (IPv6 in brackets) into hostname (brackets removed) and port. */
export function splitHostPort(registry: string): { readonly hostname: string; readonly port?: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(registry);
  if (v6) return { hostname: v6[1]!, ...(v6[2] ? { port: v6[2] } : {}) };
  const colon = registry.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(registry.slice(colon + 1)) && !registry.slice(0, colon).includes(':')) {
    return { hostname: registry.slice(0, colon), port: registry.slice(colon + 1) };
  }
  return { hostname: registry };
}

/** localhost, 127.0.0.0/8 and ::1 (with or without a port). */
export function isLoopbackRegistry(registry: string): boolean {
  const { hostname } = splitHostPort(registry);
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Whether `registry` is listed in `insecure`: entries are `host[:port]`, optionally with an `http://` or
 * `https://` prefix; an entry without a port matches every port of that host.
 */
export function isListedInsecure(registry: string, insecure: readonly string[]): boolean {
  const want = splitHostPort(registry.toLowerCase());
  return insecure.some((raw) => {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    if (entry === '') return false;
    const e = splitHostPort(entry);
    return e.hostname === want.hostname && (e.port === undefined || e.port === want.port);
  });
}

export function endpointPolicy(registry: string, insecure: readonly string[] = []): EndpointPolicy {
  if (isLoopbackRegistry(registry) || isListedInsecure(registry, insecure)) {
    return { schemes: ['https', 'http'], verifyTls: false };
  }
  return { schemes: ['https'], verifyTls: true };
}
