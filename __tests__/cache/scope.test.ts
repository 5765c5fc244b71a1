import { indexKey, indexPrefix, mountKey, packKey, registryTag, scopeId } from '../../src/cache/index.js';
import { indexNonce, restoreScopes } from '../../src/cache/scope.js';
import { sha256 } from '../../src/oci/digest.js';

const linux = { os: 'linux', architecture: 'amd64' };
const base = { ref: 'refs/heads/main', platform: linux, dockerfile: 'Dockerfile' };

describe('scope ids', () => {
  const differing = [
    { name: 'another ref', given: { ...base, ref: 'refs/heads/dev' } },
    { name: 'another platform', given: { ...base, platform: { os: 'linux', architecture: 'arm64' } } },
    {
      name: 'another variant',
      given: { ...base, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    },
    { name: 'another Dockerfile', given: { ...base, dockerfile: 'app/Dockerfile' } },
  ];
  it.each(differing)('$name is another scope', ({ given }) => {
    expect(scopeId(given)).not.toBe(scopeId(base));
    expect(scopeId(given)).toMatch(/^[0-9a-f]{16}$/);
  });
  it('does not depend on the default branch', () => {
    expect(scopeId({ ...base, defaultRef: 'refs/heads/main' })).toBe(scopeId(base));
  });
});

describe('restore scopes', () => {
  const cases = [
    { name: 'a branch without a known default', given: { ...base, ref: 'refs/heads/dev' }, want: ['scope'] },
    { name: 'the default branch itself', given: { ...base, defaultRef: 'refs/heads/main' }, want: ['scope'] },
    {
      name: 'a pull request',
      given: { ...base, ref: 'refs/pull/4/merge', defaultRef: 'refs/heads/main' },
      want: ['scope', 'default-branch'],
    },
  ];
  it.each(cases)('$name', ({ given, want }) => {
    const scopes = restoreScopes(given);
    expect(scopes.map((s) => s.from)).toEqual(want);
    expect(scopes[0]!.id).toBe(scopeId(given));
    if (scopes[1]) expect(scopes[1].id).toBe(scopeId({ ...given, ref: 'refs/heads/main' }));
  });
});

describe('entry keys', () => {
  const scope = scopeId(base);
  const d1 = sha256('one');
  const d2 = sha256('two');
  const keys = [
    {
      name: 'index',
      given: indexKey(scope, { id: '123456789', attempt: 2 }, 'lq3k9x2a0f1c2'),
      want: new RegExp(`^image-build-index-${scope}-123456789-2-lq3k9x2a0f1c2$`),
    },
    {
      name: 'index with a hostile run id',
      given: indexKey(scope, { id: 'a,b/c d', attempt: 1 }, 'n'),
      want: /^image-build-index-[0-9a-f]{16}-a_b_c_d-1-n$/,
    },
    { name: 'pack', given: packKey([d1, d2]), want: /^image-build-pack-[0-9a-f]{32}$/ },
    { name: 'salted pack', given: packKey([d1, d2], '99-1'), want: /^image-build-pack-[0-9a-f]{32}-99-1$/ },
    {
      name: 'mount',
      given: mountKey(scope, '/root/.npm', 'ab'.repeat(32)),
      want: new RegExp(`^image-build-mount-${scope}-[0-9a-f]{16}-abababababababab$`),
    },
    { name: 'registry tag', given: registryTag(scope), want: new RegExp(`^image-build-cache-${scope}$`) },
  ];
  it.each(keys)('$name key is well formed (no commas, far below 512 characters)', ({ given, want }) => {
    expect(given).toMatch(want);
    expect(given).not.toContain(',');
    expect(given.length).toBeLessThan(512);
  });
  it('a pack is named by its members, in any order', () => {
    expect(packKey([d1, d2])).toBe(packKey([d2, d1]));
    expect(packKey([d1])).not.toBe(packKey([d1, d2]));
  });
  it('an index key matches its own prefix and not another scope', () => {
    expect(indexKey(scope, { id: '1', attempt: 1 }, 'n').startsWith(indexPrefix(scope))).toBe(true);
    expect(
      indexKey(scope, { id: '1', attempt: 1 }, 'n').startsWith(indexPrefix(scopeId({ ...base, ref: 'x' }))),
    ).toBe(false);
  });
});

describe('index nonces', () => {
  it('differ between two saves in the same millisecond', () => {
    expect(indexNonce(1000)).not.toBe(indexNonce(1000));
    expect(indexNonce(1000)).toMatch(/^rs[0-9a-f]{6}$/);
  });
});
