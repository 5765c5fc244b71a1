import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeError } from '../errors.js';
import { fitToBudget } from './budget.js';
import type { IndexedMount } from './cache-index.js';
import { fingerprintDir, snapshotDir, type MountTools } from './mount-snapshot.js';
import type { Digest } from '../oci/digest.js';

/** A cache mount a RUN used in this build. */
export interface OpenedMount {
  readonly id: string;
  readonly dir: string;
  /** The fingerprint right after it was restored (undefined: it existed already, or nothing was restored). */
  readonly restoredFingerprint?: string;
}

export interface MountSaveContext {
  readonly mounts: readonly OpenedMount[];
  readonly previous: Readonly<Record<string, IndexedMount>>;
  readonly budgetBytes: number;
  readonly now: number;
  /** A scratch directory on the work root's file system. */
  readonly scratch: string;
  readonly tools: MountTools;
  /** Stores one snapshot file; returns the entry (key or digest) that holds it, or undefined when it failed. */
  readonly store: (
    id: string,
    fingerprint: string,
    file: string,
    size: number,
  ) => Promise<string | undefined>;
  readonly warn: (message: string) => void;
}

export interface MountSaveResult {
  readonly mounts: Record<string, IndexedMount>;
  readonly changed: boolean;
  readonly dropped: readonly { readonly key: string; readonly size: number }[];
}

/**
 * Snapshots the cache mounts whose contents changed, keeps the most recently used snapshots within the mount
 * budget and stores the new ones that fit. Unchanged mounts only get a new last-used time.
 */
export async function saveMounts(c: MountSaveContext): Promise<MountSaveResult> {
  const next: Record<string, IndexedMount> = { ...c.previous };
  const candidates: { id: string; fingerprint: string; file: string; size: number; digest: Digest }[] = [];
  await mkdir(c.scratch, { recursive: true });
  try {
    for (const m of c.mounts) {
      try {
        const fingerprint = await fingerprintDir(m.dir, c.tools);
        if (fingerprint === undefined) continue;
        const before = m.restoredFingerprint ?? c.previous[m.id]?.fingerprint;
        if (fingerprint === before && c.previous[m.id]) {
          next[m.id] = { ...c.previous[m.id]!, lastUsed: c.now };
          continue;
        }
        const file = join(c.scratch, `mount-${randomBytes(6).toString('hex')}.tar.gz`);
        candidates.push({ id: m.id, fingerprint, file, ...(await snapshotDir(m.dir, file, c.tools)) });
      } catch (err) {
        c.warn(`cache mount ${JSON.stringify(m.id)} was not saved: ${describeError(err)}`);
      }
    }
    const items = Object.entries(next).map(([key, m]) => ({ key, size: m.size, lastUsed: m.lastUsed }));
    for (const cand of candidates) {
      const i = items.findIndex((x) => x.key === cand.id);
      if (i >= 0) items.splice(i, 1);
      items.push({ key: cand.id, size: cand.size, lastUsed: c.now });
    }
    const fit = fitToBudget(items, c.budgetBytes);
    let changed = false;
    for (const cand of candidates) {
      if (!fit.keep.has(cand.id)) continue;
      const entry = await c.store(cand.id, cand.fingerprint, cand.file, cand.size);
      if (entry === undefined) continue;
      next[cand.id] = {
        entry,
        fingerprint: cand.fingerprint,
        size: cand.size,
        digest: cand.digest,
        lastUsed: c.now,
      };
      changed = true;
    }
    for (const id of Object.keys(next)) if (!fit.keep.has(id)) delete next[id];
    const dropped = fit.drop.filter((d) => c.previous[d.key] !== undefined);
    return { mounts: next, changed: changed || dropped.length > 0, dropped };
  } finally {
    for (const cand of candidates) await rm(cand.file, { force: true });
  }
}

/** Moves a file, copying when it crosses file systems. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}
