import { join } from 'node:path';
import { CacheError, describeError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { BlobStore } from '../store/types.js';
import {
  emptyIndex,
  readIndexFile,
  writeIndexFile,
  type CacheIndex,
  type IndexedMount,
} from './cache-index.js';
import { CacheSession, type SessionOptions } from './cache-session.js';
import type { SessionState } from './session-state.js';
import type { CacheStore, SaveOutcome } from './cache-store.js';
import { collectLocalGarbage } from './local-gc.js';
import { moveFile, saveMounts, type OpenedMount } from './mount-save.js';
import { restoreDir, verifySnapshot } from './mount-snapshot.js';
import { ingestPack, writePack } from './pack.js';
import { planSave, type NewUnit, type RunRecord } from './save-plan.js';
import { indexKey, indexNonce, indexPrefix, mountKey, packKey, restoreScopes, scopeId } from './scope.js';
import { defaultBudgetBytes, defaultMountBudgetBytes, defaultPackMaxBytes } from './types.js';

const mountFile = 'mount.tar.gz';

/**
 * The gha and local backends: layers in a few content-addressed packs, one small index per scope, cache-mount
 * snapshots as their own entries, all through a `CacheStore`.
 */
export class PackedCache extends CacheSession {
  readonly backend: 'gha' | 'local';
  private queue: Promise<unknown> = Promise.resolve();
  /** A save outcome said to stop writing (read-only token, rate limit, service failure). */
  private blocked = false;
  private readonly packFetches = new Map<string, Promise<string | undefined>>();

  constructor(
    o: SessionOptions,
    private readonly entries: CacheStore,
    state?: SessionState,
  ) {
    const scope = scopeId(o.scope);
    super(o, scope, state ?? { index: emptyIndex(scope), origin: { kind: 'none' } }, state);
    this.backend = entries.kind;
  }

  /**
   * Restores this scope's newest index, else the default branch's. A failure is one warning and a cold cache;
   * when the store itself failed (the service is unreachable or erring, not a miss), nothing is saved this run
   * either: its saves would fail the same way, and one warning says it all. An index that cannot be read is
   * replaced by this run's save.
   */
  async loadIndex(): Promise<void> {
    const scopes = restoreScopes(this.o.scope);
    let entry;
    try {
      // Index keys are unique, so the "exact" key is the scope's prefix: the newest entry under it wins.
      entry = await this.entries.restore(
        'index',
        indexPrefix(this.scope),
        scopes.map((s) => indexPrefix(s.id)),
      );
    } catch (err) {
      this.warn(`cache index was not restored, building without the cache: ${describeError(err)}`);
      if (this.access.kind === 'read-write')
        this.access = { kind: 'read-only', reason: 'the cache could not be restored' };
      return;
    }
    if (!entry) return;
    try {
      const index = await readIndexFile(entry.dir, entry.key);
      const from = scopes.find((s) => entry.key.startsWith(indexPrefix(s.id)))?.from ?? 'scope';
      this.index = { ...index, scope: this.scope };
      this.origin = { kind: 'restored', key: entry.key, from };
      this.restored.entries++;
      this.restored.bytes += entry.bytes;
    } catch (err) {
      this.warn(`cache index was not restored, building without the cache: ${describeError(err)}`);
    }
  }

  protected fetchUnit(unit: string, _digest: Digest, into: BlobStore): Promise<string | undefined> {
    let p = this.packFetches.get(unit);
    if (!p) {
      // One pack at a time: the gha store restores every pack into the same staging directory.
      p = this.queue.then(() => this.fetchPack(unit, into));
      this.queue = p.catch(() => undefined);
      this.packFetches.set(unit, p);
    }
    return p;
  }

  protected async restoreMount(_id: string, mount: IndexedMount, dir: string): Promise<number> {
    const entry = await this.entries.restore('mount', mount.entry);
    if (!entry) throw new CacheError(`cache entry ${mount.entry} is missing (evicted or never saved)`);
    if (mount.digest) await verifySnapshot(join(entry.dir, mountFile), mount.digest, mount.entry);
    await restoreDir(join(entry.dir, mountFile), dir, this.tools);
    return entry.bytes;
  }

  protected async persist(run: RunRecord, mounts: readonly OpenedMount[]): Promise<void> {
    const now = this.o.clock.now().getTime();
    const salt = `${this.o.run.id}-${this.o.run.attempt}`;
    const plan = await planSave(this.index, run, {
      now,
      budgetBytes: this.o.budgetBytes ?? defaultBudgetBytes,
      packMaxBytes: this.o.packMaxBytes ?? defaultPackMaxBytes,
      packing: 'packs',
      // A pack found corrupt in this run must not be "found" again by its content name.
      unitKey: (m) => (this.badUnits.has(packKey(m)) ? packKey(m, salt) : packKey(m)),
      available: (d) => this.o.store.has(d),
    });
    this.noteDropped(plan.dropped);
    const failed = new Set<string>();
    for (const unit of plan.newUnits) {
      const outcome = this.blocked ? undefined : await this.savePack(unit);
      if (outcome) this.count(unit.key, outcome);
      if (outcome?.kind !== 'saved' && outcome?.kind !== 'exists') failed.add(unit.key);
    }
    let index = withoutUnits(plan.index, failed);
    let mountsChanged = false;
    if (!this.blocked) {
      const r = await saveMounts({
        mounts,
        previous: index.mounts,
        budgetBytes: this.o.mountBudgetBytes ?? defaultMountBudgetBytes,
        now,
        scratch: join(this.ioRoot, 'tmp'),
        tools: this.tools,
        store: (id, fp, file) => (this.blocked ? Promise.resolve(undefined) : this.saveMount(id, fp, file)),
        warn: (m) => this.warn(m),
      });
      index = { ...index, mounts: r.mounts };
      mountsChanged = r.changed;
      for (const d of r.dropped) this.prune(d.size);
    }
    this.totals.sizeBytes = Object.values(index.packs).reduce((n, p) => n + p.size, 0);
    if (!this.blocked && (plan.changed || mountsChanged || failed.size > 0)) {
      const key = indexKey(this.scope, this.o.run, indexNonce(now));
      this.count(key, await this.saveIndex(key, { ...index, savedAt: now }));
    }
    if (this.entries.kind === 'local' && !this.blocked) {
      const kept = new Set(references(index));
      const gc = await collectLocalGarbage(this.entries, {
        dropped: new Set(references(this.index).filter((k) => !kept.has(k))),
        now,
      }).catch((err: unknown) => {
        this.warn(`cache directory clean-up failed: ${describeError(err)}`);
        return { entries: 0, bytes: 0 };
      });
      // Physical deletions of what the index dropped (counted in `pruned` already) and of older indexes.
      this.o.logger.debug(`cache directory: ${gc.entries} entries (${gc.bytes} bytes) deleted`);
    }
  }

  private async fetchPack(unit: string, into: BlobStore): Promise<string | undefined> {
    const pack = this.index.packs[unit];
    if (!pack) return 'it is not in the index';
    const entry = await this.entries.restore('pack', unit);
    if (!entry) return 'it is missing (evicted or never saved)';
    this.restored.entries++;
    this.restored.bytes += entry.bytes;
    const r = await ingestPack(entry.dir, pack.members, into);
    const first = r.failed[0];
    return first ? `layer ${first.digest}: ${first.reason}` : undefined;
  }

  private async savePack(unit: NewUnit): Promise<SaveOutcome> {
    if (await this.entries.has('pack', unit.key)) return { kind: 'exists' };
    const dir = await this.entries.prepare('pack');
    await writePack(dir, unit.members, this.o.store);
    return this.entries.save('pack', unit.key, dir);
  }

  private async saveMount(id: string, fingerprint: string, file: string): Promise<string | undefined> {
    const key = mountKey(this.scope, id, fingerprint);
    const dir = await this.entries.prepare('mount');
    await moveFile(file, join(dir, mountFile));
    const outcome = await this.entries.save('mount', key, dir);
    this.count(key, outcome);
    return outcome.kind === 'saved' || outcome.kind === 'exists' ? key : undefined;
  }

  private async saveIndex(key: string, index: CacheIndex): Promise<SaveOutcome> {
    const dir = await this.entries.prepare('index');
    await writeIndexFile(dir, index);
    return this.entries.save('index', key, dir);
  }

  /** Folds an outcome into the totals; an outcome that says "stop writing" blocks the rest of the save. */
  private count(key: string, outcome: SaveOutcome): void {
    this.blocked ||= this.stops(key, outcome);
  }

  private stops(key: string, outcome: SaveOutcome): boolean {
    switch (outcome.kind) {
      case 'saved':
        this.totals.saved.entries++;
        this.totals.saved.bytes += outcome.bytes;
        this.totals.saved.keys.push(key);
        return false;
      case 'exists':
        this.o.logger.debug(`cache entry ${key} exists already`);
        return false;
      case 'read-only':
        this.setReadOnly(outcome.reason);
        return true;
      case 'rate-limited':
        this.warn(
          `cache: too many new cache entries right now${
            outcome.retryAfterSeconds !== undefined ? ` (retry after ${outcome.retryAfterSeconds} s)` : ''
          }; the rest of this save is skipped and the next run saves it`,
        );
        return true;
      case 'failed':
        this.warn(`cache entry ${key} was not saved, the rest of this save is skipped: ${outcome.message}`);
        return true;
    }
  }

  private noteDropped(dropped: readonly { key: string; size: number; isNew: boolean }[]): void {
    const fresh = dropped.filter((d) => d.isNew);
    for (const d of dropped) if (!d.isNew) this.prune(d.size);
    if (fresh.length > 0) {
      const bytes = fresh.reduce((n, d) => n + d.size, 0);
      this.warn(
        `cache: ${bytes} bytes of this build's new layers do not fit in the cache budget of ${
          this.o.budgetBytes ?? defaultBudgetBytes
        } bytes and are not saved — raise the cache budget`,
      );
    }
  }

  private prune(size: number): void {
    this.totals.pruned.entries++;
    this.totals.pruned.bytes += size;
  }
}

/** The entries an index references. */
function references(index: CacheIndex): string[] {
  return [...Object.keys(index.packs), ...Object.values(index.mounts).map((m) => m.entry)];
}

/** The index without some units and the steps whose layers only they held. */
function withoutUnits(index: CacheIndex, units: ReadonlySet<string>): CacheIndex {
  if (units.size === 0) return index;
  const packs = Object.fromEntries(Object.entries(index.packs).filter(([k]) => !units.has(k)));
  const held = new Set<Digest>(Object.values(packs).flatMap((p) => p.members.map((m) => m.digest)));
  const steps = Object.fromEntries(
    Object.entries(index.steps).filter(([, s]) => held.has(s.layer.descriptor.digest)),
  );
  return { ...index, packs, steps };
}
