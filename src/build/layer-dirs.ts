import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Fetches a layer blob into the store when it is not there yet (from the layer cache, or the registry). */
export type BlobFetcher = (layer: LayerRef) => Promise<void>;

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
    private readonly fetchMissing?: BlobFetcher,
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
      if (!this.fetchMissing) throw new BuildStepError(`${what} is not in the local store`);
      await this.fetchMissing(layer);
    }
    const tmp = await this.newUpper();
    this.logger.debug(`unpacking ${what} (${layer.diffId})`);
    try {
      const tar = decompressStream(this.blobs.open(layer.descriptor.digest), {
        compression: compressionOf(layer.descriptor),
      });
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
