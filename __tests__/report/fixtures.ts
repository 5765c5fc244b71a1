/** A small run report, as a build of a three-step Dockerfile on a busybox base would produce it. */
import type { StepReport } from '../../src/build/types.js';
import type { Digest } from '../../src/oci/digest.js';
import type { Image } from '../../src/oci/image.js';
import type { RunReport } from '../../src/report/index.js';
import type { Metadata } from '../../src/tags/index.js';

export const d = (c: string): Digest => `sha256:${c.repeat(64)}` as Digest;

export const image: Image = {
  descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('a'), size: 900 },
  manifest: {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 1500 },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('1'), size: 2_100_000 },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('2'), size: 350 },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('3'), size: 12_345 },
    ],
  },
  config: {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [d('4'), d('5'), d('6')] },
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
      { created_by: 'RUN /bin/sh -c echo hi > /hi # buildkit' },
      { created_by: 'COPY app.txt /app/ # buildkit' },
    ],
  },
  layers: [],
  platform: { architecture: 'amd64', os: 'linux' },
  family: 'oci',
};

export const steps: StepReport[] = [
  {
    id: '1.0',
    stage: 'stage-0',
    instruction: 'FROM 127.0.0.1:5000/base/busybox:1',
    line: 1,
    status: 'config',
    durationMs: 120,
  },
  {
    id: '1.1',
    stage: 'stage-0',
    instruction: 'RUN echo hi > /hi',
    line: 2,
    status: 'cached',
    durationMs: 3,
    layer: { digest: d('2'), diffId: d('5'), size: 350, cacheSource: 'local' },
  },
  {
    id: '1.2',
    stage: 'stage-0',
    instruction: 'COPY app.txt /app/',
    line: 3,
    status: 'built',
    reason: {
      kind: 'inputs-changed',
      changes: [{ input: 'files./app/app.txt', before: 'old-secret-looking-value', after: 'new' }],
    },
    durationMs: 1_450,
    layer: { digest: d('3'), diffId: d('6'), size: 12_345 },
  },
  {
    id: '1.3',
    stage: 'stage-0',
    instruction: 'CMD ["cat", "/app/app.txt"]',
    line: 4,
    status: 'config',
    durationMs: 0,
  },
];

export const metadata: Metadata = {
  version: 'pr-15',
  images: ['127.0.0.1:5000/octo/app'],
  tags: ['127.0.0.1:5000/octo/app:pr-15', '127.0.0.1:5000/octo/app:sha-860c190'],
  tagNames: ['pr-15', 'sha-860c190'],
  latest: false,
  labels: [
    { key: 'org.opencontainers.image.revision', value: '860c1904a1ce19322e91ac35af1ab07466440c37' },
    { key: 'org.opencontainers.image.version', value: 'pr-15' },
  ],
  annotations: [{ level: 'manifest', key: 'org.opencontainers.image.version', value: 'pr-15' }],
  json: '{"tags":[]}',
  warnings: [],
};

export const report: RunReport = {
  trigger: 'pull request #15',
  image,
  steps,
  metadata,
  publication: {
    kind: 'pushed',
    targets: [
      { reference: '127.0.0.1:5000/octo/app:pr-15', outcome: 'pushed' },
      { reference: '127.0.0.1:5000/octo/app:sha-860c190', outcome: 'unchanged' },
    ],
    blobs: {
      exists: { count: 2, bytes: 2_101_500 },
      mounted: { count: 0, bytes: 0 },
      uploaded: { count: 2, bytes: 13_845 },
    },
  },
  cache: { kind: 'off', reason: 'the cache input is false' },
  exports: [],
  warnings: [],
};
