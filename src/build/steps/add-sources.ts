import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BuildStepError, type SourceLocation } from '../../errors.js';
import { isDigest, type Digest } from '../../oci/digest.js';
import type { BuildSession } from '../session.js';

/** An ADD source downloaded from a URL into the build's temp dir. */
export interface RemoteFile {
  readonly url: string;
  readonly path: string;
  /** The file name in a directory destination: the URL path's last element, or `__unnamed__`. */
  readonly name: string;
  readonly digest: Digest;
  /** From Last-Modified, seconds. */
  readonly mtime?: number;
  /** Only with an explicit `ADD --unpack=true` (remote files are not unpacked by default). */
  readonly unpack: boolean;
}

const gitLike = /^(git@|git:\/\/|ssh:\/\/)|\.git(#|$)|^github\.com\//;

/** True for an ADD source that is fetched rather than read from the context. */
export function isRemoteSource(src: string): boolean {
  return /^https?:\/\//i.test(src) || gitLike.test(src);
}

/**
 * Downloads ADD's URL sources (every build, since only the content can say whether the step changed, as BuildKit
 * keys HTTP sources by content). `--checksum=sha256:…` is verified: a mismatch fails the step and keeps nothing.
 */
export async function prepareRemoteSources(
  s: BuildSession,
  urls: readonly string[],
  checksum: string | undefined,
  unpack: boolean | undefined,
  location: SourceLocation,
): Promise<RemoteFile[]> {
  const out: RemoteFile[] = [];
  for (const url of urls) {
    if (gitLike.test(url) && !/^https?:\/\/.*\.(tar|tgz|gz|zip)$/.test(url)) {
      throw new BuildStepError(`ADD of a git repository (${url}) is not supported by image-build`, {
        location,
        hint: 'clone it in a RUN step, or ADD a release archive URL',
      });
    }
    out.push(await download(s, url, checksum, unpack === true, location));
  }
  return out;
}

async function download(
  s: BuildSession,
  url: string,
  checksum: string | undefined,
  unpack: boolean,
  location: SourceLocation,
): Promise<RemoteFile> {
  if (checksum !== undefined && !isDigest(checksum)) {
    throw new BuildStepError(`invalid --checksum ${JSON.stringify(checksum)}`, {
      location,
      hint: 'use sha256: followed by 64 hex digits',
    });
  }
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', ...(s.host.signal ? { signal: s.host.signal } : {}) });
  } catch (err) {
    throw new BuildStepError(`ADD cannot download ${url}: ${(err as Error).message}`, {
      location,
      hint: 'check the URL and the network',
      cause: err,
    });
  }
  if (!res.ok || !res.body) {
    throw new BuildStepError(`ADD cannot download ${url}: HTTP ${res.status}`, {
      location,
      hint: 'check the URL',
    });
  }
  const path = join(s.tmp, `download-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  body.on('data', (c: Buffer) => hash.update(c));
  await pipeline(body, createWriteStream(path, { mode: 0o600 }));
  const digest: Digest = `sha256:${hash.digest('hex')}`;
  if (checksum !== undefined && digest !== checksum) {
    throw new BuildStepError(`digest mismatch for ${url}: expected ${checksum}, got ${digest}`, {
      location,
      hint: 'the file changed or the --checksum is wrong',
    });
  }
  const lastModified = res.headers.get('last-modified');
  const mtime = lastModified ? Date.parse(lastModified) / 1000 : undefined;
  const base = new URL(url).pathname.split('/').pop() ?? '';
  return {
    url,
    path,
    name: base === '' || base === '.' ? '__unnamed__' : decodeURIComponent(base),
    digest,
    ...(mtime !== undefined && !Number.isNaN(mtime) ? { mtime } : {}),
    unpack,
  };
}
