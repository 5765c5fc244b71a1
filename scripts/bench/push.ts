/**
 * Issue 2 benchmark: push a synthetic 3-layer ~200 MB image from an OCI layout to a fresh loopback registry
 * with `image-build push` and with `skopeo copy` (whole processes, same layout, same run), then re-push the
 * unchanged image with image-build (HEADs + manifest only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeTestImage, storeTestImage } from '../../__tests__/helpers/registry-images.js';
import { startRegistry } from '../../__tests__/helpers/registry.js';
import { openStore } from '../../src/store/index.js';
import { measure, median } from './measure.js';
import { machine, ratio, secs, table, version, writeSection } from './report.js';

const cli = resolve('dist/cli/index.js');

export async function pushBenchmark(runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ib-bench-push-'));
  try {
    const store = await openStore(join(dir, 'layout'));
    const image = makeTestImage({ layerSizes: [100e6, 60e6, 40e6], gzipLevel: 1 });
    await storeTestImage(store, image, 'app');
    const mb = image.layers.reduce((n, l) => n + l.blob.length, 0) / 1e6;
    const ours: number[] = [];
    const skopeo: number[] = [];
    const repush: number[] = [];
    for (let i = 0; i < runs; i++) {
      const a = await startRegistry({ auth: 'none' });
      const b = await startRegistry({ auth: 'none' });
      try {
        const pushOurs = {
          argv: [process.execPath, cli, 'push', `oci:${store.root}:app`, `${a.host}/bench/app:v1`],
        };
        const pushSkopeo = {
          argv: [
            'skopeo',
            'copy',
            '-q',
            '--dest-tls-verify=false',
            `oci:${store.root}:app`,
            `docker://${b.host}/bench/app:v1`,
          ],
        };
        // alternate which goes first, so neither always gets the warmer page cache
        if (i % 2 === 0) {
          ours.push((await measure(pushOurs)).wall);
          skopeo.push((await measure(pushSkopeo)).wall);
        } else {
          skopeo.push((await measure(pushSkopeo)).wall);
          ours.push((await measure(pushOurs)).wall);
        }
        repush.push((await measure(pushOurs)).wall);
      } finally {
        await a.stop();
        await b.stop();
      }
    }
    writeSection(
      'push',
      [
        '## Push: cold and unchanged (issue 2)',
        '',
        `Run ${new Date().toISOString().slice(0, 10)} on ${machine()}; ${version(['skopeo', '--version'])}.`,
        `A synthetic ${mb.toFixed(0)} MB image (3 layers) in an OCI layout, pushed to a fresh loopback docker-registry per run. Whole-process wall time, median of ${runs} runs (order alternated).`,
        '',
        table(
          ['', 'image-build push', 'skopeo copy', 'ratio'],
          [
            ['cold push', secs(median(ours)), secs(median(skopeo)), ratio(median(ours), median(skopeo))],
            ['re-push, unchanged', secs(median(repush)), '', ''],
          ],
        ),
        '',
        'Targets: cold push ≤ 1.0× skopeo; unchanged re-push ≤ 0.2 s (HEADs and the manifest only; the figure includes Node start-up).',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
