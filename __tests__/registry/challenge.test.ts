import {
  parseChallenges,
  typedChallenges,
  type Challenge,
  type RawChallenge,
} from '../../src/registry/auth/challenge.js';

interface RawCase {
  readonly name: string;
  readonly given: string | readonly string[] | undefined;
  readonly want: readonly RawChallenge[];
}

const raw: RawCase[] = [
  { name: 'no header', given: undefined, want: [] },
  { name: 'empty header', given: '', want: [] },
  {
    name: 'Docker Hub bearer with a scope holding a comma',
    given:
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
    want: [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push',
        },
      },
    ],
  },
  {
    name: 'basic with a realm',
    given: 'Basic realm="basic-realm"',
    want: [{ scheme: 'basic', params: { realm: 'basic-realm' } }],
  },
  {
    name: 'two challenges in one header, spaces around separators',
    given: 'Basic realm="a, b" , Bearer realm="https://r/token", service="svc"',
    want: [
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'https://r/token', service: 'svc' } },
    ],
  },
  {
    name: 'two header lines',
    given: ['Basic realm="x"', 'Bearer realm="y"'],
    want: [
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: 'y' } },
    ],
  },
  {
    name: 'case-insensitive scheme and parameter names, unquoted token values',
    given: 'BEARER Realm="https://r/t",Service=registry,ERROR=insufficient_scope',
    want: [
      {
        scheme: 'bearer',
        params: { realm: 'https://r/t', service: 'registry', error: 'insufficient_scope' },
      },
    ],
  },
  {
    name: 'escaped quote and backslash in a quoted value',
    given: 'Basic realm="say \\"hi\\" \\\\ bye"',
    want: [{ scheme: 'basic', params: { realm: 'say "hi" \\ bye' } }],
  },
  {
    name: 'token68 followed by another challenge',
    given: 'Negotiate YWJjZA==, Basic realm="x"',
    want: [
      { scheme: 'negotiate', params: {}, token68: 'YWJjZA==' },
      { scheme: 'basic', params: { realm: 'x' } },
    ],
  },
  {
    name: 'scheme without parameters before another challenge',
    given: 'Negotiate, Bearer realm="y",scope="repository:a/b:pull"',
    want: [
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: { realm: 'y', scope: 'repository:a/b:pull' } },
    ],
  },
  {
    name: 'several scopes separated by a space in one parameter',
    given: 'Bearer realm="r",scope="repository:a:pull repository:b:pull,push"',
    want: [{ scheme: 'bearer', params: { realm: 'r', scope: 'repository:a:pull repository:b:pull,push' } }],
  },
  {
    name: 'unterminated quoted value runs to the end',
    given: 'Basic realm="open',
    want: [{ scheme: 'basic', params: { realm: 'open' } }],
  },
];

interface TypedCase {
  readonly name: string;
  readonly given: string;
  readonly want: readonly Challenge[];
}

const typed: TypedCase[] = [
  {
    name: 'insufficient_scope bearer',
    given:
      'Bearer realm="http://127.0.0.1:1/token",service="test",scope="repository:a:push,pull",error="insufficient_scope"',
    want: [
      {
        kind: 'bearer',
        realm: 'http://127.0.0.1:1/token',
        service: 'test',
        scope: 'repository:a:push,pull',
        error: 'insufficient_scope',
      },
    ],
  },
  {
    name: 'a bearer challenge without realm is unusable and dropped',
    given: 'Bearer service="x", Basic',
    want: [{ kind: 'basic' }],
  },
  {
    name: 'unknown schemes are kept as other',
    given: 'Digest realm="x", nonce="y"',
    want: [{ kind: 'other', scheme: 'digest' }],
  },
];

describe('parseChallenges', () => {
  test.each(raw)('$name', ({ given, want }) => {
    expect(parseChallenges(given)).toEqual(want);
  });
});

describe('typedChallenges', () => {
  test.each(typed)('$name', ({ given, want }) => {
    expect(typedChallenges(given)).toEqual(want);
  });
});
