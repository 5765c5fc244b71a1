import { sha256 } from '../../src/oci/digest.js';
import {
  ManifestFormatError,
  describeBytes,
  encodeConfig,
  encodeIndex,
  encodeJson,
  encodeManifest,
  encodeManifestWithDescriptor,
  parseImageConfig,
  parseImageIndex,
  parseImageManifest,
  parseManifest,
} from '../../src/oci/manifest-codec.js';
import { quoteGoString } from '../../src/oci/manifest-codec-json.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { ImageConfig, ImageIndex, ImageManifest } from '../../src/oci/types.js';

const d1 = sha256('one');
const d2 = sha256('two');
const d3 = sha256('three');

const manifest: ImageManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: { mediaType: MediaType.ociConfig, digest: d1, size: 7 },
  layers: [{ mediaType: MediaType.ociLayerGzip, digest: d2, size: 3, annotations: { z: '1', a: '2' } }],
};

describe('encoding (Go encoding/json layout, as BuildKit writes it)', () => {
  test('manifest: three-space MarshalIndent, mediaType first, descriptor fields in struct order', () => {
    // Field order in the value deliberately scrambled: the encoder orders by schema, not by insertion.
    const scrambled = {
      layers: manifest.layers,
      config: manifest.config,
      mediaType: manifest.mediaType,
      schemaVersion: 2,
    };
    const want = [
      '{',
      '   "mediaType": "application/vnd.oci.image.manifest.v1+json",',
      '   "schemaVersion": 2,',
      '   "config": {',
      '      "mediaType": "application/vnd.oci.image.config.v1+json",',
      `      "digest": "${d1}",`,
      '      "size": 7',
      '   },',
      '   "layers": [',
      '      {',
      '         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",',
      `         "digest": "${d2}",`,
      '         "size": 3,',
      '         "annotations": {',
      '            "a": "2",',
      '            "z": "1"',
      '         }',
      '      }',
      '   ]',
      '}',
    ].join('\n');
    expect(encodeManifest(scrambled as ImageManifest).toString()).toBe(want);
    expect(encodeJson(scrambled).toString()).toBe(want);
  });

  test('index: platform fields in struct order, empty annotations left out, subject after manifests', () => {
    const index: ImageIndex = {
      annotations: {},
      manifests: [
        {
          platform: { variant: 'v7', os: 'linux', architecture: 'arm' },
          size: 0,
          digest: d1,
          mediaType: MediaType.ociManifest,
        },
      ],
      subject: { mediaType: MediaType.ociManifest, digest: d3, size: 1 },
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
    };
    const want =
      '{\n   "mediaType": "application/vnd.oci.image.index.v1+json",\n   "schemaVersion": 2,\n   "manifests": [\n' +
      `      {\n         "mediaType": "application/vnd.oci.image.manifest.v1+json",\n         "digest": "${d1}",\n` +
      '         "size": 0,\n         "platform": {\n            "architecture": "arm",\n            "os": "linux",\n' +
      '            "variant": "v7"\n         }\n      }\n   ],\n   "subject": {\n' +
      `      "mediaType": "application/vnd.oci.image.manifest.v1+json",\n      "digest": "${d3}",\n      "size": 1\n   }\n}`;
    expect(encodeIndex(index).toString()).toBe(want);
  });

  test('config: compact, top-level keys sorted, nested structs in Go order, omitempty honoured', () => {
    const config: ImageConfig = {
      rootfs: { diff_ids: [d2], type: 'layers' },
      os: 'linux',
      history: [
        { empty_layer: true, created_by: 'ENV A=<b>&c', created: '2024-01-01T00:00:00Z' },
        { created_by: 'RUN x' },
      ],
      config: {
        Labels: { b: '1', a: '2' },
        Cmd: ['sh'],
        Env: ['PATH=/bin'],
        Entrypoint: null,
        ExposedPorts: { '80/tcp': {} },
        ArgsEscaped: false,
        WorkingDir: '',
        User: 'app',
      },
      created: '2024-01-01T00:00:00Z',
      architecture: 'amd64',
    };
    expect(encodeConfig(config).toString()).toBe(
      '{"architecture":"amd64","config":{"User":"app","ExposedPorts":{"80/tcp":{}},"Env":["PATH=/bin"],"Cmd":["sh"],' +
        '"Labels":{"a":"2","b":"1"}},"created":"2024-01-01T00:00:00Z","history":[{"created":"2024-01-01T00:00:00Z",' +
        '"created_by":"ENV A=\\u003cb\\u003e\\u0026c","empty_layer":true},{"created_by":"RUN x"}],"os":"linux",' +
        `"rootfs":{"type":"layers","diff_ids":["${d2}"]}}`,
    );
  });

  test('unknown keys: after the known ones on a struct, interleaved (sorted) on the config', () => {
    const m = { ...manifest, layers: [], zeta: 1, alpha: { y: 1, x: 2 } };
    expect(encodeManifest(m as ImageManifest).toString()).toMatch(
      /"layers": \[\],\n {3}"alpha": {\n {6}"x": 2,\n {6}"y": 1\n {3}},\n {3}"zeta": 1\n}$/,
    );
    const c = {
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      'moby.buildkit.buildinfo.v1': 'e30=',
    };
    expect(encodeConfig(c as ImageConfig).toString()).toBe(
      '{"architecture":"amd64","moby.buildkit.buildinfo.v1":"e30=","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
    );
  });

  const strings = [
    { name: 'plain', given: 'abc', want: '"abc"' },
    { name: 'quote and backslash', given: 'a"b\\c', want: '"a\\"b\\\\c"' },
    { name: 'short control escapes (Go ≥ 1.22)', given: '\n\r\t\b\f', want: '"\\n\\r\\t\\b\\f"' },
    { name: 'other control characters', given: '\u0000\u001f', want: '"\\u0000\\u001f"' },
    { name: 'HTML-safe escapes', given: '<a & b>', want: '"\\u003ca \\u0026 b\\u003e"' },
    { name: 'line and paragraph separators', given: '\u2028\u2029', want: '"\\u2028\\u2029"' },
    { name: 'non-ASCII kept literally', given: 'é🙂', want: '"é🙂"' },
    { name: 'lone surrogate becomes U+FFFD', given: 'a\ud800b', want: '"a\\ufffdb"' },
    { name: 'DEL kept literally', given: '\u007f', want: '"\u007f"' },
  ];
  test.each(strings)('string escaping: $name', ({ given, want }) => {
    expect(quoteGoString(given)).toBe(want);
  });

  test('generic values: compact, keys sorted bytewise, no trailing newline', () => {
    expect(encodeJson({ b: [1, { d: null, c: true }], a: 'x', B: 2 }).toString()).toBe(
      '{"B":2,"a":"x","b":[1,{"c":true,"d":null}]}',
    );
  });

  test('descriptor helpers hash the exact bytes', () => {
    const { bytes, descriptor } = encodeManifestWithDescriptor(manifest);
    expect(descriptor).toEqual({
      mediaType: MediaType.ociManifest,
      digest: sha256(bytes),
      size: bytes.length,
    });
    expect(describeBytes(Buffer.from('{}'), MediaType.ociEmpty)).toEqual({
      mediaType: MediaType.ociEmpty,
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    });
  });

  test('round trip: parse(encode(x)) equals x', () => {
    expect(parseImageManifest(encodeManifest(manifest))).toEqual(manifest);
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {
          ...manifest.config,
          mediaType: MediaType.ociManifest,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
      annotations: { 'org.opencontainers.image.description': 'x' },
    };
    expect(parseImageIndex(encodeIndex(index))).toEqual(index);
  });
});

const ociConfigDesc = { mediaType: MediaType.ociConfig, digest: d1, size: 7 };
const dockerConfigDesc = { mediaType: MediaType.dockerConfig, digest: d1, size: 7 };
const layer = { mediaType: MediaType.ociLayerGzip, digest: d2, size: 3 };

describe('parseManifest', () => {
  const ok: {
    name: string;
    given: { body: object; mediaType?: string };
    want: { kind: string; mediaType: string };
  }[] = [
    {
      name: 'OCI manifest',
      given: {
        body: { schemaVersion: 2, mediaType: MediaType.ociManifest, config: ociConfigDesc, layers: [layer] },
      },
      want: { kind: 'image', mediaType: MediaType.ociManifest },
    },
    {
      name: 'OCI manifest without mediaType (old registries) is inferred',
      given: { body: { schemaVersion: 2, config: ociConfigDesc, layers: [layer] } },
      want: { kind: 'image', mediaType: MediaType.ociManifest },
    },
    {
      name: 'Docker manifest without mediaType is inferred from its config type',
      given: { body: { schemaVersion: 2, config: dockerConfigDesc, layers: [] } },
      want: { kind: 'image', mediaType: MediaType.dockerManifest },
    },
    {
      name: 'missing mediaType taken from the Content-Type hint',
      given: { body: { schemaVersion: 2, manifests: [] }, mediaType: MediaType.dockerManifestList },
      want: { kind: 'index', mediaType: MediaType.dockerManifestList },
    },
    {
      name: 'index without mediaType is inferred',
      given: {
        body: { schemaVersion: 2, manifests: [{ ...ociConfigDesc, mediaType: MediaType.ociManifest }] },
      },
      want: { kind: 'index', mediaType: MediaType.ociIndex },
    },
    {
      name: 'Docker manifest list',
      given: { body: { schemaVersion: 2, mediaType: MediaType.dockerManifestList, manifests: [] } },
      want: { kind: 'index', mediaType: MediaType.dockerManifestList },
    },
  ];
  test.each(ok)('$name', ({ given, want }) => {
    const parsed = parseManifest(JSON.stringify(given.body), { mediaType: given.mediaType });
    expect(parsed.kind).toBe(want.kind);
    const value = parsed.kind === 'image' ? parsed.manifest : parsed.index;
    expect(value.mediaType).toBe(want.mediaType);
  });

  const bad: { name: string; given: { body: unknown; mediaType?: string }; want: RegExp }[] = [
    {
      name: 'Docker schema 1 by schemaVersion',
      given: { body: { schemaVersion: 1, name: 'x', fsLayers: [] } },
      want: /is a Docker schema 1 manifest.*re-push the image with a current Docker or BuildKit/,
    },
    {
      name: 'Docker schema 1 by Content-Type',
      given: {
        body: { schemaVersion: 2 },
        mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
      },
      want: /Docker schema 1/,
    },
    {
      name: 'schemaVersion 3',
      given: { body: { schemaVersion: 3, manifests: [] } },
      want: /schemaVersion must be 2, got 3/,
    },
    {
      name: 'schemaVersion missing',
      given: { body: { manifests: [] } },
      want: /schemaVersion must be 2, got undefined/,
    },
    {
      name: 'mediaType disagrees with the Content-Type',
      given: {
        body: { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] },
        mediaType: MediaType.ociManifest,
      },
      want: /mediaType application\/vnd.oci.image.index.v1\+json does not match the expected application\/vnd.oci.image.manifest.v1\+json/,
    },
    {
      name: 'mediaType says index, body is a manifest',
      given: { body: { schemaVersion: 2, mediaType: MediaType.ociIndex, config: ociConfigDesc, layers: [] } },
      want: /mediaType application\/vnd.oci.image.index.v1\+json but no "manifests" array/,
    },
    {
      name: 'mediaType says manifest, body is an index',
      given: { body: { schemaVersion: 2, mediaType: MediaType.ociManifest, manifests: [] } },
      want: /but no "config" and "layers"/,
    },
    {
      name: 'both manifests and layers',
      given: { body: { schemaVersion: 2, manifests: [], config: ociConfigDesc, layers: [] } },
      want: /both "manifests" and "config"\/"layers"/,
    },
    {
      name: 'unknown mediaType',
      given: { body: { schemaVersion: 2, mediaType: 'text/plain', layers: [] } },
      want: /unsupported manifest mediaType "text\/plain"/,
    },
    { name: 'not JSON', given: { body: '{"schemaVersion":' }, want: /is not valid JSON/ },
    { name: 'JSON array', given: { body: [] }, want: /must be a JSON object/ },
    {
      name: 'bad digest in a layer',
      given: {
        body: { schemaVersion: 2, config: ociConfigDesc, layers: [{ ...layer, digest: 'sha256:XYZ' }] },
      },
      want: /manifest layers\[0\]: digest "sha256:XYZ" is not a sha256 digest/,
    },
    {
      name: 'sha512 digest',
      given: {
        body: {
          schemaVersion: 2,
          config: { ...ociConfigDesc, digest: `sha512:${'a'.repeat(128)}` },
          layers: [],
        },
      },
      want: /manifest config: digest "sha512:a+" is not a sha256 digest/,
    },
    {
      name: 'negative size',
      given: { body: { schemaVersion: 2, config: { ...ociConfigDesc, size: -1 }, layers: [] } },
      want: /size -1 is not a non-negative integer/,
    },
    {
      name: 'fractional size',
      given: { body: { schemaVersion: 2, config: { ...ociConfigDesc, size: 1.5 }, layers: [] } },
      want: /size 1.5 is not/,
    },
    {
      name: 'size as a string',
      given: { body: { schemaVersion: 2, config: { ...ociConfigDesc, size: '7' }, layers: [] } },
      want: /size "7" is not/,
    },
    {
      name: 'descriptor without mediaType',
      given: { body: { schemaVersion: 2, config: { digest: d1, size: 1 }, layers: [] } },
      want: /manifest config: has no mediaType/,
    },
    {
      name: 'layers not an array',
      given: { body: { schemaVersion: 2, config: ociConfigDesc, layers: {} } },
      want: /"layers" must be an array/,
    },
    {
      name: 'annotations with a non-string value',
      given: { body: { schemaVersion: 2, config: ociConfigDesc, layers: [], annotations: { a: 1 } } },
      want: /"annotations" must map strings to strings/,
    },
    {
      name: 'platform without os',
      given: {
        body: { schemaVersion: 2, manifests: [{ ...ociConfigDesc, platform: { architecture: 'amd64' } }] },
      },
      want: /manifests\[0\] platform: needs both "architecture" and "os"/,
    },
  ];
  test.each(bad)('rejects $name', ({ given, want }) => {
    const bytes = typeof given.body === 'string' ? given.body : JSON.stringify(given.body);
    const err = (() => {
      try {
        parseManifest(bytes, { mediaType: given.mediaType });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ManifestFormatError);
    expect((err as ManifestFormatError).userMessage()).toMatch(want);
    expect((err as ManifestFormatError).userMessage()).not.toMatch(/\n|at .*\(/);
  });

  test('parseImageManifest / parseImageIndex refuse the other kind', () => {
    const idx = JSON.stringify({ schemaVersion: 2, manifests: [] });
    expect(() => parseImageManifest(idx, { source: 'manifest of app:1' })).toThrow(
      /manifest of app:1: is an image index where an image manifest was expected/,
    );
    expect(() => parseImageIndex(encodeManifest(manifest))).toThrow(
      /is an image manifest where an index was expected/,
    );
  });
});

describe('parseImageConfig', () => {
  const base = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [d2] } };
  test('keeps the model fields and drops unknown ones (as BuildKit does when deriving an image)', () => {
    const config = parseImageConfig(
      JSON.stringify({
        ...base,
        container_config: { Cmd: ['x'] },
        docker_version: '20',
        config: { Env: ['A=1'] },
        history: [{ created_by: 'x' }],
      }),
    );
    expect(config).toEqual({ ...base, config: { Env: ['A=1'] }, history: [{ created_by: 'x' }] });
  });
  const bad = [
    {
      name: 'no architecture',
      given: { ...base, architecture: undefined },
      want: /needs both "architecture" and "os"/,
    },
    { name: 'rootfs type', given: { ...base, rootfs: { type: 'x', diff_ids: [] } }, want: /rootfs must be/ },
    {
      name: 'bad diff_id',
      given: { ...base, rootfs: { type: 'layers', diff_ids: ['sha256:1'] } },
      want: /rootfs.diff_ids\[0\] "sha256:1" is not a digest/,
    },
    {
      name: 'history not objects',
      given: { ...base, history: ['x'] },
      want: /"history" must be an array of objects/,
    },
    { name: 'created not a string', given: { ...base, created: 5 }, want: /"created" must be a string/ },
  ];
  test.each(bad)('rejects $name', ({ given, want }) => {
    expect(() => parseImageConfig(JSON.stringify(given), { source: 'config sha256:x' })).toThrow(want);
  });
});
