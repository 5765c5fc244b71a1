import { gzip } from 'node:zlib';

/**
 * The OS byte every gzip member gets. zlib writes its build platform's code (3 on Linux, 19 on macOS, 10 on
 * Windows), which would make the same layer hash differently per runner OS; 255 ("unknown") is what Go's
 * compress/gzip — hence BuildKit — writes.
 */
export const gzipOsByte = 255;

/** zlib output buffer per threadpool round trip; does not change the output bytes. */
const outputChunkSize = 128 * 1024;

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
