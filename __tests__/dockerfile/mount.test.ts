/** `RUN --mount` specs: the typed union with BuildKit's defaults, and its validation errors. */
import {
  MountError,
  parseMountFlag,
  resolveMount,
  type Mount,
} from '../../src/dockerfile/instructions/mount.js';

const mount = (raw: string): Mount => resolveMount(parseMountFlag(raw));

describe('typed mounts with defaults', () => {
  const cases: { name: string; given: string; want: Mount }[] = [
    {
      name: 'bind is the default type, read-only',
      given: 'target=/src',
      want: { type: 'bind', target: '/src', source: undefined, from: undefined, readOnly: true },
    },
    {
      name: 'bind rw from a stage',
      given: 'type=bind,from=build,source=/out,dst=/in,rw',
      want: { type: 'bind', target: '/in', source: '/out', from: 'build', readOnly: false },
    },
    {
      name: 'bind readwrite=true',
      given: 'type=bind,target=/x,readwrite=true',
      want: { type: 'bind', target: '/x', source: undefined, from: undefined, readOnly: false },
    },
    {
      name: 'cache defaults: shared, writable, 0755 0:0',
      given: 'type=cache,target=/root/.cache',
      want: {
        type: 'cache',
        target: '/root/.cache',
        id: undefined,
        sharing: 'shared',
        from: undefined,
        source: undefined,
        readOnly: false,
        mode: 0o755,
        uid: 0,
        gid: 0,
      },
    },
    {
      name: 'cache with every option',
      given:
        'type=CACHE,id=apt,target=/var/cache/apt,sharing=Locked,from=base,source=/c,mode=0700,uid=1000,gid=1001,ro',
      want: {
        type: 'cache',
        target: '/var/cache/apt',
        id: 'apt',
        sharing: 'locked',
        from: 'base',
        source: '/c',
        readOnly: true,
        mode: 0o700,
        uid: 1000,
        gid: 1001,
      },
    },
    {
      name: 'tmpfs with size',
      given: 'type=tmpfs,target=/dev/shm,size=128m',
      want: { type: 'tmpfs', target: '/dev/shm', sizeBytes: 128 * 1024 * 1024, readOnly: false },
    },
    {
      name: 'tmpfs unlimited',
      given: 'type=tmpfs,destination=/t',
      want: { type: 'tmpfs', target: '/t', sizeBytes: undefined, readOnly: false },
    },
    {
      name: 'secret: id, default target /run/secrets/<id>, 0400',
      given: 'type=secret,id=aws',
      want: {
        type: 'secret',
        id: 'aws',
        target: '/run/secrets/aws',
        env: undefined,
        required: false,
        mode: 0o400,
        uid: 0,
        gid: 0,
      },
    },
    {
      name: 'secret: id from the target base name',
      given: 'type=secret,target=/root/.npmrc,required,mode=0440,uid=1',
      want: {
        type: 'secret',
        id: '.npmrc',
        target: '/root/.npmrc',
        env: undefined,
        required: true,
        mode: 0o440,
        uid: 1,
        gid: 0,
      },
    },
    {
      name: 'secret: env only, no file',
      given: 'type=secret,id=API_KEY,env=API_KEY',
      want: {
        type: 'secret',
        id: 'API_KEY',
        target: undefined,
        env: 'API_KEY',
        required: false,
        mode: 0o400,
        uid: 0,
        gid: 0,
      },
    },
    {
      name: 'secret: source is the id',
      given: 'type=secret,source=tok,required=false',
      want: {
        type: 'secret',
        id: 'tok',
        target: '/run/secrets/tok',
        env: undefined,
        required: false,
        mode: 0o400,
        uid: 0,
        gid: 0,
      },
    },
    {
      name: 'ssh defaults',
      given: 'type=ssh',
      want: { type: 'ssh', id: 'default', target: undefined, required: false, mode: 0o600, uid: 0, gid: 0 },
    },
    {
      name: 'ssh with id and target',
      given: 'type=ssh,id=gitlab,target=/ssh.sock,required=1',
      want: { type: 'ssh', id: 'gitlab', target: '/ssh.sock', required: true, mode: 0o600, uid: 0, gid: 0 },
    },
    {
      name: 'quoted CSV field',
      given: '"type=bind","target=/a,b"',
      want: { type: 'bind', target: '/a,b', source: undefined, from: undefined, readOnly: true },
    },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(mount(given)).toEqual(want);
  });

  test('values are expanded by the given function before typing', () => {
    const m = resolveMount(parseMountFlag('type=$T,target=$D'), (v) => ({ $T: 'cache', $D: '/x' })[v] ?? v);
    expect(m).toMatchObject({ type: 'cache', target: '/x' });
  });
});

describe('mount validation (BuildKit parseMount)', () => {
  test.each([
    { name: 'unknown type', given: 'type=volume,target=/x', want: 'unsupported mount type "volume"' },
    {
      name: 'close type name',
      given: 'type=cahce,target=/x',
      want: 'unsupported mount type "cahce" (did you mean cache?)',
    },
    {
      name: 'unknown key',
      given: 'type=cache,targt=/x',
      want: "unexpected key 'targt' in 'targt=/x' (did you mean target?)",
    },
    {
      name: 'bare unknown key',
      given: 'type=cache,nocache',
      want: "invalid field 'nocache' must be a key=value pair",
    },
    {
      name: 'required before type',
      given: 'required,type=secret,id=x',
      want: "unexpected key 'required' for mount type 'bind'",
    },
    {
      name: 'required on cache',
      given: 'type=cache,target=/x,required=true',
      want: "unexpected key 'required' for mount type 'cache'",
    },
    { name: 'size on bind', given: 'target=/x,size=1g', want: "unexpected key 'size' for mount type 'bind'" },
    { name: 'bad size', given: 'type=tmpfs,target=/x,size=lots', want: 'invalid value for size: lots' },
    { name: 'bad bool', given: 'target=/x,ro=maybe', want: 'invalid value for ro: maybe' },
    {
      name: 'bad sharing',
      given: 'type=cache,target=/x,sharing=public',
      want: 'unsupported sharing value "public"',
    },
    { name: 'mode not octal', given: 'type=cache,target=/x,mode=0799', want: 'invalid value 0799 for mode' },
    {
      name: 'uid too large',
      given: 'type=cache,target=/x,uid=4294967296',
      want: 'invalid value 4294967296 for uid',
    },
    { name: 'mode on bind', given: 'target=/x,mode=0755', want: 'mode not allowed for "bind" type mounts' },
    {
      name: 'gid on tmpfs',
      given: 'type=tmpfs,target=/x,gid=1',
      want: 'gid not allowed for "tmpfs" type mounts',
    },
    {
      name: 'sharing on bind',
      given: 'target=/x,sharing=locked',
      want: 'invalid cache sharing set for bind mount',
    },
    {
      name: 'secret with from',
      given: 'type=secret,id=a,from=b',
      want: 'secret mount should not have a from',
    },
    {
      name: 'secret without anything',
      given: 'type=secret',
      want: 'invalid secret mount. one of source, target required',
    },
    {
      name: 'secret with source and id',
      given: 'type=secret,source=a,id=b',
      want: "both source and id can't be set",
    },
    {
      name: 'secret with sharing',
      given: 'type=secret,id=a,sharing=shared',
      want: 'secret mount should not define sharing',
    },
  ])('$name', ({ given, want }) => {
    expect(() => mount(given)).toThrow(MountError);
    expect(() => mount(given)).toThrow(want);
  });
});
