import {
  endpointPolicy,
  isListedInsecure,
  isLoopbackRegistry,
  splitHostPort,
} from '../../src/registry/endpoint.js';
import { realmTls } from '../../src/registry/ping.js';

interface PolicyCase {
  readonly name: string;
  readonly given: { readonly registry: string; readonly insecure?: readonly string[] };
  readonly want: { readonly schemes: readonly string[]; readonly verifyTls: boolean };
}

const httpsOnly = { schemes: ['https'], verifyTls: true };
const relaxed = { schemes: ['https', 'http'], verifyTls: false };

const policies: PolicyCase[] = [
  { name: 'a public registry is https only, verified', given: { registry: 'ghcr.io' }, want: httpsOnly },
  { name: 'Docker Hub is https only', given: { registry: 'docker.io' }, want: httpsOnly },
  {
    name: 'a private host with a port is https only',
    given: { registry: 'registry.internal:5000' },
    want: httpsOnly,
  },
  { name: 'a non-loopback IP is https only', given: { registry: '10.0.0.7:5000' }, want: httpsOnly },
  { name: '127.0.0.1 with a port may use http', given: { registry: '127.0.0.1:5000' }, want: relaxed },
  { name: 'anywhere in 127.0.0.0/8', given: { registry: '127.10.20.30' }, want: relaxed },
  { name: 'localhost', given: { registry: 'localhost:5000' }, want: relaxed },
  { name: 'IPv6 loopback in brackets', given: { registry: '[::1]:5000' }, want: relaxed },
  {
    name: 'a host that merely starts with localhost is not loopback',
    given: { registry: 'localhost.example.com' },
    want: httpsOnly,
  },
  { name: '128.0.0.1 is not loopback', given: { registry: '128.0.0.1:5000' }, want: httpsOnly },
  {
    name: 'a listed insecure registry may use http',
    given: { registry: 'registry.internal:5000', insecure: ['registry.internal:5000'] },
    want: relaxed,
  },
  {
    name: 'an insecure entry without a port covers every port',
    given: { registry: 'registry.internal:5000', insecure: ['registry.internal'] },
    want: relaxed,
  },
  {
    name: 'an insecure entry with another port does not match',
    given: { registry: 'registry.internal:5000', insecure: ['registry.internal:6000'] },
    want: httpsOnly,
  },
  {
    name: 'an insecure entry written as a URL matches, case-insensitively',
    given: { registry: 'Registry.Internal', insecure: ['http://registry.internal/'] },
    want: relaxed,
  },
  {
    name: 'another host listed does not relax this one',
    given: { registry: 'ghcr.io', insecure: ['quay.io'] },
    want: httpsOnly,
  },
];

describe('endpointPolicy (URL scheme choice)', () => {
  test.each(policies)('$name', ({ given, want }) => {
    expect(endpointPolicy(given.registry, given.insecure)).toEqual(want);
  });
});

describe('host helpers', () => {
  test.each([
    { name: 'host and port', given: 'a.b:5000', want: { hostname: 'a.b', port: '5000' } },
    { name: 'host only', given: 'a.b', want: { hostname: 'a.b' } },
    { name: 'IPv6 with port', given: '[fc00::1]:5000', want: { hostname: 'fc00::1', port: '5000' } },
    { name: 'IPv6 without port', given: '[::1]', want: { hostname: '::1' } },
  ])('splitHostPort: $name', ({ given, want }) => {
    expect(splitHostPort(given)).toEqual(want);
  });

  test.each([
    { name: 'localhost', given: 'localhost', want: true },
    { name: 'sub.localhost', given: 'app.localhost:80', want: true },
    { name: '127.0.0.53', given: '127.0.0.53', want: true },
    { name: 'public host', given: 'example.com', want: false },
    { name: '::2', given: '[::2]:5000', want: false },
  ])('isLoopbackRegistry: $name', ({ given, want }) => {
    expect(isLoopbackRegistry(given)).toBe(want);
  });

  test('empty insecure entries match nothing', () => {
    expect(isListedInsecure('ghcr.io', ['', '  '])).toBe(false);
  });
});

describe('realmTls (where a token service may be reached)', () => {
  test.each([
    {
      name: 'https elsewhere: verified',
      given: { realm: 'https://auth.docker.io/token', insecure: [] },
      want: true,
    },
    {
      name: 'https on loopback: untrusted allowed',
      given: { realm: 'https://127.0.0.1:9999/token', insecure: [] },
      want: false,
    },
    { name: 'http on loopback', given: { realm: 'http://localhost:9999/token', insecure: [] }, want: false },
    {
      name: 'http on a listed insecure host',
      given: { realm: 'http://auth.internal/token', insecure: ['auth.internal'] },
      want: false,
    },
  ])('$name', ({ given, want }) => {
    expect(realmTls('r.io', new URL(given.realm), given.insecure)).toBe(want);
  });

  test('plain http to another host is refused, since credentials would travel in clear', () => {
    expect(() => realmTls('r.io', new URL('http://auth.example.com/token'), [])).toThrow(
      'registry r.io sent a token realm that is not HTTPS (http://auth.example.com)',
    );
  });
});
