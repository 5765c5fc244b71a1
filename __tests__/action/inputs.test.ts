import { InputError } from '../../src/errors.js';
import { readInputs, type Inputs, type InputEnvironment } from '../../src/action/inputs.js';
import type { InputName } from '../../src/action/names.js';
import { readActionYml } from './action-yml.js';

const environment: InputEnvironment = {
  workspace: '/ws',
  repository: 'Octo-Org/Hello-World',
  actor: 'octocat',
  env: { FROM_ENV: 'env value', API_TOKEN: 'tok-123' },
};

/**
 * Inputs as the runner sets them: the value given, else action.yml's literal default (expression defaults such
 * as `${{ github.actor }}` are left to each case), else empty.
 */
const defaults = new Map(
  readActionYml()
    .inputs.filter((i) => !(i.default ?? '').includes('${{'))
    .map((i) => [i.name, i.default ?? '']),
);

function read(given: Partial<Record<InputName, string>>, env: Partial<InputEnvironment> = {}) {
  return readInputs((name) => given[name] ?? defaults.get(name) ?? '', { ...environment, ...env });
}

interface ValueCase {
  readonly name: string;
  readonly given: Partial<Record<InputName, string>>;
  readonly want: Partial<Inputs>;
}

const valueCases: ValueCase[] = [
  {
    name: 'no inputs: context ., Dockerfile in it, GHCR image of the repository in lower case, push auto',
    given: {},
    want: {
      context: '/ws',
      file: '/ws/Dockerfile',
      images: 'ghcr.io/octo-org/hello-world',
      push: 'auto',
      registry: 'ghcr.io',
      tags: { kind: 'rules', text: undefined },
      cache: { kind: 'gha' },
      noCache: false,
      pull: false,
      prComment: true,
      summary: true,
      sourceDateEpoch: { kind: 'commit' },
      allowPullRequestTarget: false,
      exports: [],
      insecureRegistries: [],
      buildArgs: {},
    },
  },
  {
    name: 'file is relative to the workspace, not the context',
    given: { context: 'app', file: 'docker/App.Dockerfile' },
    want: { context: '/ws/app', file: '/ws/docker/App.Dockerfile' },
  },
  {
    name: 'the github token is the GHCR password, for the actor',
    given: { 'github-token': 'ghs_abc' },
    want: { login: { username: 'octocat', password: 'ghs_abc' }, githubToken: 'ghs_abc' },
  },
  {
    name: 'other registries get no default password (the Docker config is used)',
    given: { registry: 'docker.io', 'github-token': 'ghs_abc' },
    want: { registry: 'docker.io', images: 'docker.io/octo-org/hello-world' },
  },
  {
    name: 'index.docker.io is Docker Hub',
    given: { registry: 'index.docker.io', username: 'me', password: 'pw' },
    want: { registry: 'docker.io', login: { username: 'me', password: 'pw' } },
  },
  {
    name: 'build args: values with = kept, empty values allowed, a bare name read from the environment',
    given: { 'build-args': 'A=1\nB=x=y\n\n# comment\nC=\nFROM_ENV' },
    want: { buildArgs: { A: '1', B: 'x=y', C: '', FROM_ENV: 'env value' } },
  },
  {
    name: 'booleans in YAML 1.2 spellings',
    given: { 'no-cache': 'True', pull: 'TRUE', 'pr-comment': 'false', summary: 'False', cache: 'false' },
    want: { noCache: true, pull: true, prComment: false, summary: false, cache: { kind: 'off' } },
  },
  {
    name: 'cache budgets default to 2 GiB of layers and 1 GiB of cache-mount contents',
    given: {},
    want: { cacheBudget: { layers: 2 * 1024 ** 3, mounts: 1024 ** 3 } },
  },
  {
    name: 'cache budgets with units',
    given: { 'cache-budget': '500m', 'cache-mount-budget': '1.5GiB' },
    want: { cacheBudget: { layers: 500 * 1024 ** 2, mounts: 1.5 * 1024 ** 3 } },
  },
  {
    name: 'tags set to an empty string: metadata-action semantics (its own default rules), not ours',
    given: { tags: '' },
    want: { tags: { kind: 'rules', text: '' } },
  },
  {
    name: 'build-push-action style full references in tags',
    given: { tags: 'ghcr.io/owner/app:1.0\nowner/app:latest' },
    want: {
      tags: {
        kind: 'references',
        references: [
          { registry: 'ghcr.io', repository: 'owner/app', tag: '1.0' },
          { registry: 'docker.io', repository: 'owner/app', tag: 'latest' },
        ],
      },
    },
  },
  {
    name: 'metadata-action rules are passed through as written',
    given: { tags: 'type=ref,event=branch\ntype=semver,pattern={{version}}' },
    want: { tags: { kind: 'rules', text: 'type=ref,event=branch\ntype=semver,pattern={{version}}' } },
  },
  {
    name: 'outputs: short forms and buildx forms, relative to the workspace',
    given: {
      outputs: 'oci:out/layout\ndocker:/tmp/img.tar\ntype=oci,dest=o.tar\ntype=oci,dest=dir,tar=false',
    },
    want: {
      exports: [
        { kind: 'oci', path: '/ws/out/layout' },
        { kind: 'docker', path: '/tmp/img.tar' },
        { kind: 'oci-archive', path: '/ws/o.tar' },
        { kind: 'oci', path: '/ws/dir' },
      ],
    },
  },
  {
    name: 'cache backends',
    given: { 'cache-backend': 'local', 'cache-path': '.cache/ib' },
    want: { cache: { kind: 'local', path: '/ws/.cache/ib' } },
  },
  {
    name: 'registry cache with a ref',
    given: { 'cache-backend': 'registry', 'cache-ref': 'ghcr.io/o/app-cache' },
    want: {
      cache: {
        kind: 'registry',
        reference: { registry: 'ghcr.io', repository: 'o/app-cache', tag: 'latest' },
      },
    },
  },
  {
    name: 'registry cache with a tag: the tag prefixes the cache tags',
    given: { 'cache-backend': 'registry', 'cache-ref': 'ghcr.io/o/app:buildcache' },
    want: {
      cache: {
        kind: 'registry',
        reference: { registry: 'ghcr.io', repository: 'o/app', tag: 'buildcache' },
        tagPrefix: 'buildcache',
      },
    },
  },
  {
    name: 'source-date-epoch: none, or a fixed time',
    given: { 'source-date-epoch': '1700000000' },
    want: { sourceDateEpoch: { kind: 'fixed', seconds: 1700000000 } },
  },
  {
    name: 'insecure registries, comma or newline separated',
    given: { 'insecure-registries': 'reg.local:5000, 10.0.0.1\nother' },
    want: { insecureRegistries: ['reg.local:5000', '10.0.0.1', 'other'] },
  },
];

describe('readInputs values', () => {
  it.each(valueCases)('$name', ({ given, want }) => {
    expect(read(given).inputs).toMatchObject(want);
  });

  it('a registry cache-ref with a port and no tag has no tag prefix', () => {
    expect(read({ 'cache-backend': 'registry', 'cache-ref': 'reg.local:5000/o/cache' }).inputs.cache).toEqual(
      {
        kind: 'registry',
        reference: { registry: 'reg.local:5000', repository: 'o/cache', tag: 'latest' },
      },
    );
  });

  it('collects every secret value for masking: build secrets, password, token', () => {
    const { inputs, secretValues } = read({
      secrets: 'npm=s3cr3t\nid=api,env=API_TOKEN\nid=API_TOKEN\nid=key,src=keys/k.pem',
      password: 'pw',
      registry: 'quay.io',
      username: 'me',
      'github-token': 'ghs_x',
    });
    expect([...inputs.secrets]).toEqual([
      ['npm', { kind: 'value', value: 's3cr3t' }],
      ['api', { kind: 'value', value: 'tok-123' }],
      ['API_TOKEN', { kind: 'value', value: 'tok-123' }],
      ['key', { kind: 'file', path: '/ws/keys/k.pem' }],
    ]);
    expect(secretValues).toEqual(['s3cr3t', 'tok-123', 'tok-123', 'pw', 'ghs_x']);
  });
});

interface ErrorCase {
  readonly name: string;
  readonly given: Partial<Record<InputName, string>>;
  readonly env?: Partial<InputEnvironment>;
  readonly want: { readonly input: string; readonly message: RegExp };
}

const errorCases: ErrorCase[] = [
  {
    name: 'cache budget that is not a size',
    given: { 'cache-budget': 'lots' },
    want: {
      input: 'cache-budget',
      message: /^input 'cache-budget': "lots" is not a size — write bytes or a number with a unit/,
    },
  },
  {
    name: 'unknown push value',
    given: { push: 'yes' },
    want: {
      input: 'push',
      message: /^input 'push': "yes" is not one of auto, true, false — use one of: auto, true, false$/,
    },
  },
  {
    name: 'not a boolean',
    given: { pull: 'maybe' },
    want: { input: 'pull', message: /"maybe" is not a boolean — use true or false/ },
  },
  {
    name: 'unknown cache backend',
    given: { 'cache-backend': 's3' },
    want: { input: 'cache-backend', message: /"s3" is not one of gha, local, registry/ },
  },
  {
    name: 'local cache without a path',
    given: { 'cache-backend': 'local' },
    want: { input: 'cache-path', message: /is empty, but cache-backend is local/ },
  },
  {
    name: 'build arg without a name',
    given: { 'build-args': '=oops' },
    want: { input: 'build-args', message: /"=oops" is not NAME=value/ },
  },
  {
    name: 'build arg name with a space',
    given: { 'build-args': 'MY VAR=1' },
    want: { input: 'build-args', message: /"MY VAR=1" is not NAME=value/ },
  },
  {
    name: 'bare build arg without that environment variable',
    given: { 'build-args': 'NOT_SET' },
    want: {
      input: 'build-args',
      message: /"NOT_SET" has no value and no environment variable NOT_SET is set/,
    },
  },
  {
    name: 'secret line that is no definition, never quoted (it may be the secret)',
    given: { secrets: 'ghp_supersecretvalue' },
    want: { input: 'secrets', message: /^input 'secrets': entry 1 is not a secret definition — / },
  },
  {
    name: 'secret with an unknown key',
    given: { secrets: 'id=a,file=x' },
    want: { input: 'secrets', message: /entry 1 is not a secret definition \(unknown key "file"\)/ },
  },
  {
    name: 'secret with both src and env',
    given: { secrets: 'id=a,src=f,env=E' },
    want: { input: 'secrets', message: /both src= and env=/ },
  },
  {
    name: 'secret from an unset variable',
    given: { secrets: 'id=a,env=NOPE' },
    want: { input: 'secrets', message: /secret "a" reads environment variable NOPE, which is not set/ },
  },
  {
    name: 'registry with a scheme',
    given: { registry: 'https://ghcr.io/' },
    want: {
      input: 'registry',
      message: /"https:\/\/ghcr.io\/" has a URL scheme — give the host only, e.g. ghcr.io/,
    },
  },
  {
    name: 'capitals in a full reference',
    given: { tags: 'ghcr.io/Owner/App:1' },
    want: {
      input: 'tags',
      message:
        /repository name "Owner\/App" in "ghcr.io\/Owner\/App:1" must be lowercase — use "ghcr.io\/owner\/app:1"/,
    },
  },
  {
    name: 'references mixed with rules',
    given: { tags: 'ghcr.io/o/a:1\ntype=sha' },
    want: {
      input: 'tags',
      message: /mixes image references \("ghcr.io\/o\/a:1"\) with tag rules \("type=sha"\)/,
    },
  },
  {
    name: 'a digest in tags',
    given: { tags: `o/a@sha256:${'a'.repeat(64)}` },
    want: { input: 'tags', message: /names a digest/ },
  },
  {
    name: 'an unknown export',
    given: { outputs: 'tar:x' },
    want: { input: 'outputs', message: /"tar:x" is not an export/ },
  },
  {
    name: 'a registry export',
    given: { outputs: 'type=registry,dest=x' },
    want: { input: 'outputs', message: /pushing is controlled by the push input/ },
  },
  {
    name: 'bad source-date-epoch',
    given: { 'source-date-epoch': 'yesterday' },
    want: { input: 'source-date-epoch', message: /"yesterday" is not commit, none or a unix time/ },
  },
  {
    name: 'bad SOURCE_DATE_EPOCH in the environment',
    given: {},
    env: { env: { SOURCE_DATE_EPOCH: '17e8' } },
    want: {
      input: 'source-date-epoch',
      message: /"17e8" \(from the SOURCE_DATE_EPOCH environment variable\)/,
    },
  },
  {
    name: 'no repository and no images',
    given: {},
    env: { repository: '' },
    want: { input: 'images', message: /no default image name/ },
  },
  {
    name: 'password without username',
    given: { password: 'pw' },
    env: { actor: '' },
    want: { input: 'username', message: /is empty, but a password for ghcr.io is set/ },
  },
];

describe('readInputs errors', () => {
  it.each(errorCases)('$name', ({ given, env, want }) => {
    let caught: unknown;
    try {
      read(given, env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    const err = caught as InputError;
    expect(err.input).toBe(want.input);
    expect(err.userMessage()).toMatch(want.message);
    expect(err.userMessage()).not.toMatch(/\n/);
  });
});
