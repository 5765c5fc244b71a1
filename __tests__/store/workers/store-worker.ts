/**
 * A child process that opens a store and runs a job given as JSON in argv[2]; prints one JSON line of results.
 * Run through `runStoreWorker` (worker-process.ts). Jobs:
 * - `put`: put blobs (deterministic bytes from seeds) with putStream in small chunks, concurrently;
 * - `tag`: tag the blob of `seed` under each of `names`, concurrently;
 * - `hang-put`: start a putStream that never finishes and print `{"started":true}` once bytes are on disk.
 */
import { openStore } from '../../../src/store/open-store.js';
import { sha256 } from '../../../src/oci/digest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { blobBytes, chunked } from './blob-data.js';

type Job =
  | { kind: 'put'; store: string; seeds: string[]; size: number }
  | { kind: 'tag'; store: string; seed: string; names: string[] }
  | { kind: 'hang-put'; store: string; seed: string; size: number };

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const store = await openStore(job.store);
  switch (job.kind) {
    case 'put': {
      const results = await Promise.all(
        job.seeds.map((seed) => {
          const bytes = blobBytes(seed, job.size);
          return store.putStream(chunked(bytes, 997), { digest: sha256(bytes), size: bytes.length });
        }),
      );
      process.stdout.write(`${JSON.stringify(results)}\n`);
      return;
    }
    case 'tag': {
      const bytes = blobBytes(job.seed, 64);
      const info = await store.put(bytes);
      const descriptor = { mediaType: MediaType.ociManifest, ...info };
      await Promise.all(job.names.map((name) => store.tag(name, descriptor)));
      process.stdout.write(`${JSON.stringify({ tagged: job.names.length })}\n`);
      return;
    }
    case 'hang-put': {
      const bytes = blobBytes(job.seed, job.size);
      await store.putStream(hangAfterHalf(bytes), { digest: sha256(bytes), size: bytes.length });
      return;
    }
  }
}

async function* hangAfterHalf(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes.subarray(0, bytes.length >> 1);
  // Give the store time to write the first half, then report and wait to be killed.
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(`${JSON.stringify({ started: true })}\n`);
  await new Promise(() => undefined);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
