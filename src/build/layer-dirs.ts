import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { BuildStepError } from '../errors.js';
import type { Logger } from '../log.js';
import { decompressStream } from '../oci/decompress.js';
import { digestHex, type Digest } from '../oci/digest.js';
import { layerCompression } from '../oci/media-types.js';
import type { Descriptor } from '../oci/types.js';
import type { BlobStore } from '../store/types.js';
import { startHostProcess } from './host-command.js';
import type { LayerDir } from './rootfs/layered-fs.js';
import type { Privilege } from './rootfs/privilege.js';
import { unpackLayer } from './rootfs/unpack-layer.js';

/** A layer of an image being built: its tar's digest and its stored blob. */
export interface LayerRef {
  readonly diffId: Digest;
  readonly descriptor: Descriptor;
}

interface LayerMeta {
  readonly diffId: Digest;
  readonly opaque: readonly string[];
}

/** Where a layer blob the store lacks comes from (the layer cache, the base image's registry). */
export interface LayerSource {
  /** Puts the blob into the store. */
  fetch(layer: LayerRef): Promise<void>;
  /** A download of the blob, when it can be unpacked while it is being stored (registry layers). */
  open?(layer: LayerRef): Promise<Readable | undefined>;
}

/**
 * The unpacked layer directories of a work root: `layers/<id>/` in overlay format plus `layers/<id>.json`
 * (written last: its presence marks a complete directory). Each layer is unpacked once and reused by every later
 * step, stage and build on the machine; a step's upper dir is adopted as its layer's directory without copying.
 */
export class LayerDirs {
  private readonly pending = new Map<string, Promise<LayerDir>>();

  constructor(
    readonly root: string,
    private readonly blobs: BlobStore,
    private readonly privilege: Privilege,
    private readonly hostEnv: Readonly<Record<string, string>>,
    private readonly logger: Logger,
    private readonly source?: LayerSource,
  ) {}

  /** Short names keep overlay's single-page lowerdir option small (hundreds of layers fit). */
  static idOf(diffId: Digest): string {
    return digestHex(diffId).slice(0, 20);
  }

  dirOf(diffId: Digest): string {
    return join(this.root, LayerDirs.idOf(diffId));
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** The unpacked directory of a layer, unpacking it from the store the first time. */
  get(layer: LayerRef, what: string): Promise<LayerDir> {
    const id = LayerDirs.idOf(layer.diffId);
    let p = this.pending.get(id);
    if (!p) {
      p = this.load(layer, what);
      this.pending.set(id, p);
      p.catch(() => this.pending.delete(id));
    }
    return p;
  }

  /** Makes a step's upper dir the directory of the layer it produced (or drops it when that layer is known). */
  async adopt(upper: string, diffId: Digest, opaque: readonly string[]): Promise<LayerDir> {
    const id = LayerDirs.idOf(diffId);
    const existing = await this.readMeta(diffId);
    if (existing) {
      await this.removeTree(upper);
      return { dir: this.dirOf(diffId), opaque: new Set(existing.opaque) };
    }
    await rm(this.dirOf(diffId), { recursive: true, force: true }).catch(() => undefined);
    await rename(upper, this.dirOf(diffId));
    await this.writeMeta(diffId, opaque);
    const dir: LayerDir = { dir: this.dirOf(diffId), opaque: new Set(opaque) };
    this.pending.set(id, Promise.resolve(dir));
    return dir;
  }

  /** A fresh empty directory for a step's upper dir (same file system as the layers, so adopt is a rename). */
  async newUpper(): Promise<string> {
    const dir = join(this.root, `.up-${randomBytes(8).toString('hex')}`);
    await mkdir(dir, { mode: 0o755 });
    return dir;
  }

  /** Removes a tree that may hold root-owned, read-only entries (a failed step's upper dir). */
  async removeTree(dir: string): Promise<void> {
    if (this.privilege.mode === 'root') {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    await startHostProcess(this.privilege.wrap(['rm', '-rf', '--', dir]), this.hostEnv, 'cleanup').done;
  }

  private async load(layer: LayerRef, what: string): Promise<LayerDir> {
    const meta = await this.readMeta(layer.diffId);
    if (meta) return { dir: this.dirOf(layer.diffId), opaque: new Set(meta.opaque) };
    if (!(await this.blobs.has(layer.descriptor.digest))) {
      if (!this.source) throw new BuildStepError(`${what} is not in the local store`);
      const download = await this.source.open?.(layer);
      if (download) return this.unpackWhileStoring(layer, what, download);
      await this.source.fetch(layer);
    }
    return this.unpack(layer, what, this.blobs.open(layer.descriptor.digest));
  }

  private async unpack(layer: LayerRef, what: string, blob: Readable): Promise<LayerDir> {
    const tmp = await this.newUpper();
    this.logger.debug(`unpacking ${what} (${layer.diffId})`);
    try {
      const tar = decompressStream(blob, { compression: compressionOf(layer.descriptor) });
      const { opaque } = await unpackLayer({
        dir: tmp,
        tar,
        what,
        privilege: this.privilege,
        hostEnv: this.hostEnv,
      });
      return await this.adopt(tmp, layer.diffId, opaque);
    } catch (err) {
      await this.removeTree(tmp).catch(() => undefined);
      throw err;
    }
  }

  /**
   * A download feeds the store (digest-verified) and the unpacker at once, instead of one after the other. The
   * directory is adopted only when both succeed: a blob that fails verification leaves no layer behind.
   */
  private async unpackWhileStoring(layer: LayerRef, what: string, download: Readable): Promise<LayerDir> {
    const toStore = new PassThrough({ highWaterMark: 1 << 20 });
    const toUnpack = new PassThrough({ highWaterMark: 1 << 20 });
    const stop = (err: Error): void => {
      download.destroy(err);
      toStore.destroy(err);
      toUnpack.destroy(err);
    };
    download.on('error', stop);
    // the consumers' promises carry the errors; the events must not go unheard
    toStore.on('error', () => undefined);
    toUnpack.on('error', () => undefined);
    download.pipe(toStore);
    download.pipe(toUnpack);
    const stored = this.blobs.putStream(toStore, {
      digest: layer.descriptor.digest,
      size: layer.descriptor.size,
    });
    const unpacked = this.unpack(layer, what, toUnpack);
    const results = await Promise.allSettled([
      stored.catch((err: Error) => {
        stop(err);
        throw err;
      }),
      unpacked.catch((err: Error) => {
        stop(err);
        throw err;
      }),
    ]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      if (results[1].status === 'fulfilled') await this.forget(layer.diffId);
      throw failure.reason;
    }
    return (results[1] as PromiseFulfilledResult<LayerDir>).value;
  }

  /** Removes an adopted layer directory whose blob turned out bad. */
  private async forget(diffId: Digest): Promise<void> {
    this.pending.delete(LayerDirs.idOf(diffId));
    await rm(`${this.dirOf(diffId)}.json`, { force: true });
    await this.removeTree(this.dirOf(diffId)).catch(() => undefined);
  }

  private async readMeta(diffId: Digest): Promise<LayerMeta | undefined> {
    try {
      const meta = JSON.parse(await readFile(`${this.dirOf(diffId)}.json`, 'utf8')) as LayerMeta;
      if (meta.diffId !== diffId) {
        throw new BuildStepError(
          `layer directory ${this.dirOf(diffId)} belongs to ${meta.diffId}, not ${diffId}`,
          {
            hint: 'remove the work directory and build again',
          },
        );
      }
      return meta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async writeMeta(diffId: Digest, opaque: readonly string[]): Promise<void> {
    const file = `${this.dirOf(diffId)}.json`;
    const tmp = `${file}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, JSON.stringify({ diffId, opaque } satisfies LayerMeta));
    await rename(tmp, file);
  }
}

function compressionOf(d: Descriptor): 'gzip' | 'zstd' | 'none' {
  return layerCompression(d.mediaType);
}
