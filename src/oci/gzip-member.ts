import { gzip } from 'node:zlib';

/**
 * The OS byte every gzip member gets. zlib writes its build platform's code (3 on Linux, 19 on macOS, 10 on
 * Windows), which would make the same layer hash differently per runner OS; 255 ("unknown") is what Go's
 * compress/gzip — hence BuildKit — writes.
 */
export const gzipOsByte = 255;

/**
 * zlib's output buffer: big enough for a whole member (deflate never grows 1 MiB by more than a few hundred
 * bytes), so each member is one threadpool job with no round trips through the event loop. The output bytes do
 * not depend on it.
 */
const outputChunkSize = (1 << 20) + 4096;

/**
 * Compresses one independent gzip member: header mtime 0 (Node's default), fixed OS byte, the given level.
 * The work runs on libuv's threadpool, so several members compress in parallel on different cores while the
 * event loop stays free.
 */
export function compressGzipMember(input: Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gzip(input, { level, chunkSize: outputChunkSize }, (err, out) => {
      if (err) return reject(err);
      out[9] = gzipOsByte;
      resolve(out);
    });
  });
}
