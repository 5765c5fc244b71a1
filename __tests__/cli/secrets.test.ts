/**
 * `--secret`: a file or an environment variable reaches `RUN --mount=type=secret`, and its value appears nowhere
 * else: not on stdout or stderr (even with --debug), not in the image's blobs, not at /run/secrets in the image.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makeContext, runners, tempDir } from './cli-harness.js';

const secret = `tok-${createHash('sha256').update(String(process.pid)).digest('hex').slice(0, 24)}`;
const tmp = tempDir('ib-cli-secret-');
let context: string;
beforeAll(() => {
  context = makeContext(join(tmp.dir, 'ctx'), {
    Dockerfile: [
      'FROM scratch',
      'COPY rootfs/ /',
      'RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -c1-64 > /tok.sha && echo used the secret',
    ].join('\n'),
  });
  writeFileSync(join(tmp.dir, 'secret.txt'), secret);
});
afterAll(() => tmp.cleanup());

const cases = [
  { name: 'from a file', spec: () => `id=tok,src=${join(tmp.dir, 'secret.txt')}` },
  { name: 'from an environment variable', spec: () => 'id=tok,env=MY_TOKEN' },
];

describe.each(runners)('from the %s', (how, run) => {
  test.each(cases)('$name: used by RUN, never printed, not in the image', async ({ name, spec }) => {
    const out = join(tmp.dir, `${how}-${name.replace(/\W+/g, '-')}`);
    const r = await run(
      [
        'build',
        context,
        '--work-dir',
        join(tmp.dir, 'work'),
        '--no-cache',
        '--progress',
        'plain',
        '--debug',
        '--secret',
        spec(),
        '-o',
        `oci:${out}`,
      ],
      { env: { MY_TOKEN: secret } },
    );
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toContain('used the secret');
    expect(r.stdout + r.stderr).not.toContain(secret);
    const bundle = `${out}-bundle`;
    execFileSync('umoci', ['unpack', '--image', `${out}:latest`, bundle], { stdio: 'pipe' });
    const want = createHash('sha256').update(secret).digest('hex');
    expect(readFileSync(join(bundle, 'rootfs', 'tok.sha'), 'utf8').trim()).toBe(want);
    expect(existsSync(join(bundle, 'rootfs', 'run', 'secrets', 'tok'))).toBe(false);
    for (const blob of readdirSync(join(out, 'blobs', 'sha256'))) {
      const bytes = readFileSync(join(out, 'blobs', 'sha256', blob));
      const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
      expect(plain.includes(secret)).toBe(false);
    }
  });
});
