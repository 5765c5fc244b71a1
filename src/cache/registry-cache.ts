import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CacheError, describeError, RegistryError } from '../errors.js';
import { digestOfStream, sha256, type Digest } from '../oci/digest.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor } from '../oci/types.js';
import type { AccessHint, RegistryClient } from '../registry/client.js';
import type { BlobStore } from '../store/types.js';
import { emptyIndex, parseIndex, type CacheIndex, type IndexedMount } from './cache-index.js';
import { CacheSession, type SessionOptions } from './cache-session.js';
import type { SessionState } from './session-state.js';
import { saveMounts, type OpenedMount } from './mount-save.js';
import { restoreDir } from './mount-snapshot.js';
import { cacheManifest, indexOfManifest, mountMediaType } from './registry-manifest.js';
import { planSave, type RunRecord } from './save-plan.js';
import { registryTag, restoreScopes, scopeId } from './scope.js';
import { defaultBudgetBytes, defaultMountBudgetBytes } from './types.js';

export interface RegistryTarget {
  readonly client: RegistryClient;
  readonly repository: string;
  readonly mountFrom?: readonly string[];
  readonly tagPrefix?: string;
}

/**
 * The registry backend: the cache is an OCI artifact in a repository (tag per scope) whose config is the index
 * and whose layers are the cached layer blobs and mount snapshots, so the registry keeps them. No packing
 * (registries have no entry-rate limit); blobs the repository lacks are mounted from the image repositories
 * when they are there, else uploaded.
 */
export class RegistryCache extends CacheSession {
  readonly backend = 'registry';
  private blocked = false;

  constructor(
    o: SessionOptions,
    private readonly r: RegistryTarget,
    state?: SessionState,
  ) {
    const scope = scopeId(o.scope);
    super(o, scope, state ?? { index: emptyIndex(scope), origin: { kind: 'none' } }, state);
  }

  private get location(): string {
    return `${this.r.client.registry}/${this.r.repository}`;
  }

  async loadIndex(): Promise<void> {
    try {
      for (const s of restoreScopes(this.o.scope)) {
        const tag = registryTag(s.id, this.r.tagPrefix);
        if (!(await this.r.client.headManifest(this.r.repository, tag))) continue;
        const m = await this.r.client.getManifest(this.r.repository, tag, [MediaType.ociManifest]);
        const config = indexOfManifest(m.bytes, `${this.location}:${tag}`);
        const bytes = await this.readBlob(config);
        const index = parseIndex(bytes.toString('utf8'), `${this.location}:${tag}`);
        this.index = { ...index, scope: this.scope };
        this.origin = { kind: 'restored', key: `${this.location}:${tag}`, from: s.from };
        this.restored.entries++;
        this.restored.bytes += m.bytes.length + bytes.length;
        return;
      }
    } catch (err) {
      this.warn(
        `cache index was not restored from ${this.location}, building without the cache: ${describeError(err)}`,
      );
    }
  }

  protected async fetchUnit(unit: string, digest: Digest, into: BlobStore): Promise<string | undefined> {
    const size = this.index.packs[unit]?.members.find((m) => m.digest === digest)?.size;
    await into.putStream(await this.r.client.fetchBlob(this.r.repository, digest, size), {
      digest,
      ...(size !== undefined ? { size } : {}),
    });
    this.restored.entries++;
    this.restored.bytes += size ?? 0;
    return undefined;
  }

  protected async restoreMount(_id: string, mount: IndexedMount, dir: string): Promise<number> {
    const tmp = join(this.ioRoot, 'tmp', `mount-${randomBytes(6).toString('hex')}.tar.gz`);
    await mkdir(join(this.ioRoot, 'tmp'), { recursive: true });
    try {
      const stream = await this.r.client.fetchBlob(this.r.repository, mount.entry as Digest, mount.size);
      await pipeline(stream, createWriteStream(tmp));
      await restoreDir(tmp, dir, this.tools);
      return mount.size;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  protected async persist(run: RunRecord, mounts: readonly OpenedMount[]): Promise<void> {
    const now = this.o.clock.now().getTime();
    const plan = await planSave(this.index, run, {
      now,
      budgetBytes: this.o.budgetBytes ?? defaultBudgetBytes,
      packMaxBytes: Number.MAX_SAFE_INTEGER,
      packing: 'blobs',
      unitKey: (members) => members[0]!,
      available: (d) => this.o.store.has(d),
    });
    for (const d of plan.dropped) if (!d.isNew) this.prune(d.size);
    const types = mediaTypes(plan.index, run);
    for (const unit of plan.newUnits) {
      if (this.blocked) break;
      const m = unit.members[0]!;
      await this.pushBlob({ mediaType: types.get(m.digest) ?? MediaType.ociLayerGzip, ...m });
    }
    if (this.blocked) return;
    const r = await saveMounts({
      mounts,
      previous: plan.index.mounts,
      budgetBytes: this.o.mountBudgetBytes ?? defaultMountBudgetBytes,
      now,
      scratch: join(this.ioRoot, 'tmp'),
      tools: this.tools,
      store: (_id, _fp, file, size) => this.pushFile(file, size),
      warn: (msg) => this.warn(msg),
    });
    for (const d of r.dropped) this.prune(d.size);
    const index: CacheIndex = { ...plan.index, mounts: r.mounts, savedAt: now };
    this.totals.sizeBytes = Object.values(index.packs).reduce((n, p) => n + p.size, 0);
    if (this.blocked || !(plan.changed || r.changed)) return;
    await this.pushIndex(index, types);
  }

  private async pushIndex(index: CacheIndex, types: ReadonlyMap<Digest, string>): Promise<void> {
    const json = Buffer.from(JSON.stringify(index));
    const config = { mediaType: cacheManifest.configMediaType, digest: sha256(json), size: json.length };
    await this.pushBlob(config, json);
    if (this.blocked) return;
    const layers: Descriptor[] = [
      ...Object.entries(index.packs).map(([digest, p]) => ({
        mediaType: types.get(digest as Digest) ?? MediaType.ociLayerGzip,
        digest: digest as Digest,
        size: p.size,
      })),
      ...Object.values(index.mounts).map((m) => ({
        mediaType: mountMediaType,
        digest: m.entry as Digest,
        size: m.size,
      })),
    ];
    const bytes = Buffer.from(JSON.stringify(cacheManifest.build(config, layers)));
    const tag = registryTag(this.scope, this.r.tagPrefix);
    try {
      await this.r.client.putManifest(
        this.r.repository,
        tag,
        bytes,
        MediaType.ociManifest,
        this.writeAccess(),
      );
      this.totals.saved.entries++;
      this.totals.saved.bytes += bytes.length;
      this.totals.saved.keys.push(`${this.location}:${tag}`);
    } catch (err) {
      this.fail(err);
    }
  }

  /** HEAD → mount from an image repository → upload (from `data` or the store). */
  private async pushBlob(d: Descriptor, data?: Buffer): Promise<void> {
    const { client, repository } = this.r;
    const access = this.writeAccess();
    try {
      if (await client.blobExists(repository, d.digest, access)) return;
      let session: URL | undefined;
      for (const from of this.r.mountFrom ?? []) {
        const m = await client.mountBlob(repository, d.digest, from, access);
        if (m.kind === 'mounted') {
          this.totals.mounted.entries++;
          this.totals.mounted.bytes += d.size;
          return;
        }
        session = m.location;
      }
      const open = data ? () => Readable.from([data]) : () => this.o.store.open(d.digest);
      await client.uploadBlob(repository, { digest: d.digest, size: d.size, open }, access, session);
      this.totals.saved.entries++;
      this.totals.saved.bytes += d.size;
      this.totals.saved.keys.push(d.digest);
    } catch (err) {
      this.fail(err);
    }
  }

  private async pushFile(file: string, size: number): Promise<string | undefined> {
    const { digest } = await digestOfStream(createReadStream(file));
    const { client, repository } = this.r;
    try {
      if (!(await client.blobExists(repository, digest, this.writeAccess()))) {
        await client.uploadBlob(
          repository,
          { digest, size, open: () => createReadStream(file) },
          this.writeAccess(),
        );
        this.totals.saved.entries++;
        this.totals.saved.bytes += size;
        this.totals.saved.keys.push(digest);
      }
      return digest;
    } catch (err) {
      this.fail(err);
      return undefined;
    }
  }

  private fail(err: unknown): void {
    this.blocked = true;
    if (err instanceof RegistryError && (err.status === 401 || err.status === 403)) {
      this.setReadOnly(`${this.location} refused a write (${err.status}): ${describeError(err)}`);
      return;
    }
    this.warn(`cache was not saved to ${this.location}: ${describeError(err)}`);
  }

  private writeAccess(): AccessHint {
    return { push: true, ...(this.r.mountFrom?.length ? { mountFrom: [...this.r.mountFrom] } : {}) };
  }

  private async readBlob(d: Descriptor): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.r.client.fetchBlob(this.r.repository, d.digest, d.size))
      chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    if (sha256(bytes) !== d.digest)
      throw new CacheError(`cache index blob ${d.digest} in ${this.location} is corrupt`);
    return bytes;
  }

  private prune(size: number): void {
    this.totals.pruned.entries++;
    this.totals.pruned.bytes += size;
  }
}

/** Layer media types by digest, from the steps that made them. */
function mediaTypes(index: CacheIndex, run: RunRecord): Map<Digest, string> {
  const out = new Map<Digest, string>();
  for (const s of Object.values(index.steps))
    out.set(s.layer.descriptor.digest, s.layer.descriptor.mediaType);
  for (const s of run.steps.values()) out.set(s.layer.descriptor.digest, s.layer.descriptor.mediaType);
  return out;
}
