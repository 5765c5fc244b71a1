import { InputError } from '../../src/errors.js';
import {
  familiarReference,
  formatReference,
  parseReference,
  registryApiHost,
  type Reference,
} from '../../src/registry/reference.js';

const d = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

interface ValidCase {
  readonly name: string;
  readonly given: string;
  readonly want: Reference & { readonly formatted: string; readonly familiar: string };
}

const valid: ValidCase[] = [
  {
    name: 'single name gets docker.io, library/ and latest',
    given: 'ubuntu',
    want: {
      registry: 'docker.io',
      repository: 'library/ubuntu',
      tag: 'latest',
      formatted: 'docker.io/library/ubuntu:latest',
      familiar: 'ubuntu:latest',
    },
  },
  {
    name: 'single name with tag',
    given: 'redis:7.2-alpine',
    want: {
      registry: 'docker.io',
      repository: 'library/redis',
      tag: '7.2-alpine',
      formatted: 'docker.io/library/redis:7.2-alpine',
      familiar: 'redis:7.2-alpine',
    },
  },
  {
    name: 'two components without a dot stay on docker.io without library/',
    given: 'dmcgowan/myapp',
    want: {
      registry: 'docker.io',
      repository: 'dmcgowan/myapp',
      tag: 'latest',
      formatted: 'docker.io/dmcgowan/myapp:latest',
      familiar: 'dmcgowan/myapp:latest',
    },
  },
  {
    name: 'docker.io/name gets library/',
    given: 'docker.io/foo',
    want: {
      registry: 'docker.io',
      repository: 'library/foo',
      tag: 'latest',
      formatted: 'docker.io/library/foo:latest',
      familiar: 'foo:latest',
    },
  },
  {
    name: 'index.docker.io is Docker Hub',
    given: 'index.docker.io/library/debian:12',
    want: {
      registry: 'docker.io',
      repository: 'library/debian',
      tag: '12',
      formatted: 'docker.io/library/debian:12',
      familiar: 'debian:12',
    },
  },
  {
    name: 'library/ with a nested path keeps it in the familiar form',
    given: 'docker.io/library/foo/bar',
    want: {
      registry: 'docker.io',
      repository: 'library/foo/bar',
      tag: 'latest',
      formatted: 'docker.io/library/foo/bar:latest',
      familiar: 'library/foo/bar:latest',
    },
  },
  {
    name: 'a dotted first component is a domain and gets no library/',
    given: 'example.com/privatebase',
    want: {
      registry: 'example.com',
      repository: 'privatebase',
      tag: 'latest',
      formatted: 'example.com/privatebase:latest',
      familiar: 'example.com/privatebase:latest',
    },
  },
  {
    name: 'a first component with a port is a domain',
    given: 'test-com:8080/foo',
    want: {
      registry: 'test-com:8080',
      repository: 'foo',
      tag: 'latest',
      formatted: 'test-com:8080/foo:latest',
      familiar: 'test-com:8080/foo:latest',
    },
  },
  {
    name: 'an IP with a port and a tag',
    given: '127.0.0.1:5000/team/app:v1',
    want: {
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: 'v1',
      formatted: '127.0.0.1:5000/team/app:v1',
      familiar: '127.0.0.1:5000/team/app:v1',
    },
  },
  {
    name: 'localhost is a domain',
    given: 'localhost/app',
    want: {
      registry: 'localhost',
      repository: 'app',
      tag: 'latest',
      formatted: 'localhost/app:latest',
      familiar: 'localhost/app:latest',
    },
  },
  {
    name: 'localhost:port is a domain',
    given: 'localhost:5000/a/b/c:dev',
    want: {
      registry: 'localhost:5000',
      repository: 'a/b/c',
      tag: 'dev',
      formatted: 'localhost:5000/a/b/c:dev',
      familiar: 'localhost:5000/a/b/c:dev',
    },
  },
  {
    name: 'a bare IP-like single name is a Docker Hub repository',
    given: '192.168.0.1',
    want: {
      registry: 'docker.io',
      repository: 'library/192.168.0.1',
      tag: 'latest',
      formatted: 'docker.io/library/192.168.0.1:latest',
      familiar: '192.168.0.1:latest',
    },
  },
  {
    name: 'bare localhost:5000 is a Docker Hub name with tag 5000',
    given: 'localhost:5000',
    want: {
      registry: 'docker.io',
      repository: 'library/localhost',
      tag: '5000',
      formatted: 'docker.io/library/localhost:5000',
      familiar: 'localhost:5000',
    },
  },
  {
    name: 'IPv6 in brackets with a port',
    given: '[fc00::1]:5000/docker/docker',
    want: {
      registry: '[fc00::1]:5000',
      repository: 'docker/docker',
      tag: 'latest',
      formatted: '[fc00::1]:5000/docker/docker:latest',
      familiar: '[fc00::1]:5000/docker/docker:latest',
    },
  },
  {
    name: 'digest only: no default tag',
    given: `redis@${d}`,
    want: {
      registry: 'docker.io',
      repository: 'library/redis',
      digest: d,
      formatted: `docker.io/library/redis@${d}`,
      familiar: `redis@${d}`,
    },
  },
  {
    name: 'name:tag@digest keeps both',
    given: `ghcr.io/owner/app:1.0@${d}`,
    want: {
      registry: 'ghcr.io',
      repository: 'owner/app',
      tag: '1.0',
      digest: d,
      formatted: `ghcr.io/owner/app:1.0@${d}`,
      familiar: `ghcr.io/owner/app:1.0@${d}`,
    },
  },
  {
    name: 'an upper-case first component is taken as a domain (Docker does)',
    given: 'Foo/bar',
    want: {
      registry: 'Foo',
      repository: 'bar',
      tag: 'latest',
      formatted: 'Foo/bar:latest',
      familiar: 'Foo/bar:latest',
    },
  },
  {
    name: 'separators: repeated dashes, double underscore, dots',
    given: 'ghcr.io/docker---rules/dock__er.x_y:T_1.a-b',
    want: {
      registry: 'ghcr.io',
      repository: 'docker---rules/dock__er.x_y',
      tag: 'T_1.a-b',
      formatted: 'ghcr.io/docker---rules/dock__er.x_y:T_1.a-b',
      familiar: 'ghcr.io/docker---rules/dock__er.x_y:T_1.a-b',
    },
  },
  {
    name: 'a 64-hex name is allowed with a domain',
    given: 'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    want: {
      registry: 'docker.io',
      repository: 'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      tag: 'latest',
      formatted: 'docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest',
      familiar: '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest',
    },
  },
  {
    name: 'a 128-character tag',
    given: `app:${'a'.repeat(128)}`,
    want: {
      registry: 'docker.io',
      repository: 'library/app',
      tag: 'a'.repeat(128),
      formatted: `docker.io/library/app:${'a'.repeat(128)}`,
      familiar: `app:${'a'.repeat(128)}`,
    },
  },
];

interface InvalidCase {
  readonly name: string;
  readonly given: string;
  readonly want: RegExp;
}

const invalid: InvalidCase[] = [
  { name: 'empty', given: '', want: /image reference is empty/ },
  {
    name: 'a URL',
    given: 'https://github.com/docker/docker',
    want: /invalid image reference "https:\/\/github.com\/docker\/docker"/,
  },
  {
    name: 'upper case in the repository suggests the lower-cased name',
    given: 'ghcr.io/Owner/My-App:v1.0',
    want: /repository name "Owner\/My-App" in "ghcr.io\/Owner\/My-App:v1.0" must be lowercase — use "ghcr.io\/owner\/my-app:v1.0"/,
  },
  {
    name: 'upper case in a Docker Hub path',
    given: 'docker/Docker',
    want: /must be lowercase — use "docker\/docker"/,
  },
  {
    name: 'upper case single name keeps the tag as written',
    given: 'Ubuntu:Jammy',
    want: /"library\/Ubuntu".*use "ubuntu:Jammy"/,
  },
  {
    name: 'upper case after localhost:port',
    given: 'localhost:5000/Team/App',
    want: /use "localhost:5000\/team\/app"/,
  },
  { name: 'leading dash', given: '-docker', want: /invalid image reference "-docker"/ },
  { name: 'trailing dash in a component', given: 'docker-/docker', want: /invalid image reference/ },
  { name: 'triple slash', given: 'docker///docker', want: /invalid image reference/ },
  { name: 'underscore-only components', given: '____/____', want: /invalid image reference/ },
  { name: 'consecutive periods', given: 'dock..er/docker', want: /invalid image reference/ },
  { name: 'no repository after the slash', given: 'docker/', want: /invalid image reference/ },
  {
    name: 'a 64-hex identifier',
    given: '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    want: /64-character hexadecimal/,
  },
  { name: 'brackets without port and path', given: '[fc00::1]', want: /invalid image reference/ },
  { name: 'unbracketed IPv6', given: 'fc00::1:5000/debian', want: /invalid image reference/ },
  { name: 'IPv6 zone', given: '[fe80::1%eth0]:5000/debian', want: /invalid image reference/ },
  {
    name: 'tag starting with a dash',
    given: 'ghcr.io/a/b:-x',
    want: /invalid tag "-x" in "ghcr.io\/a\/b:-x"/,
  },
  { name: 'tag of 129 characters', given: `app:${'a'.repeat(129)}`, want: /invalid tag/ },
  { name: 'short digest', given: 'app@sha256:abc', want: /digest is written @sha256:/ },
  {
    name: 'upper-case digest hex',
    given: `app@${d.toUpperCase().replace('SHA256', 'sha256')}`,
    want: /invalid digest/,
  },
  {
    name: 'another digest algorithm',
    given: `app@sha512:${'a'.repeat(128)}`,
    want: /unsupported digest algorithm/,
  },
  {
    name: 'name longer than 255',
    given: `example.com/${'a'.repeat(250)}`,
    want: /longer than 255 characters/,
  },
];

describe('parseReference', () => {
  test.each(valid)('$name', ({ given, want }) => {
    const ref = parseReference(given);
    const { formatted, familiar, ...fields } = want;
    expect(ref).toEqual(fields);
    expect(formatReference(ref)).toBe(formatted);
    expect(familiarReference(ref)).toBe(familiar);
    expect(parseReference(formatted)).toEqual(fields);
  });

  test.each(invalid)('rejects $name', ({ given, want }) => {
    let err: unknown;
    try {
      parseReference(given, { input: 'tags' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const message = (err as InputError).userMessage();
    expect(message).toMatch(/^input 'tags': /);
    expect(message).toMatch(want);
    expect(message).not.toMatch(/\n/);
  });
});

describe('registryApiHost', () => {
  test.each([
    { name: 'Docker Hub API host', given: 'docker.io', want: 'registry-1.docker.io' },
    { name: 'other registries are their own host', given: 'ghcr.io', want: 'ghcr.io' },
    { name: 'ports are kept', given: '127.0.0.1:5000', want: '127.0.0.1:5000' },
  ])('$name', ({ given, want }) => {
    expect(registryApiHost(given)).toBe(want);
  });
});
