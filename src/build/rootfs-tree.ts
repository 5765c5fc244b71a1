import { createReadStream, lstatSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { entryTypeOf, makeEntry, type ContextEntry, type FileEntry } from '../context/context-entry.js';
import type { SourceTree } from '../context/source-tree.js';
import { digestOfStream, type Digest } from '../oci/digest.js';
import type { LayeredFs } from './rootfs/layered-fs.js';

/**
 * Another stage's (or image's) root filesystem as a COPY source: entries are looked up lazily through the
 * layer directories, so `COPY --from=builder /app/dist /dist` touches only /app/dist, however big the stage.
 * Owners and modes are the stage's own (BuildKit preserves them unless --chown is given).
 */
export class RootfsTree implements SourceTree {
  private readonly entries = new Map<string, { entry: ContextEntry; hostPath: string } | null>();
  private readonly kids = new Map<string, readonly ContextEntry[]>();
  private readonly digests = new Map<string, Promise<Digest>>();

  constructor(
    private readonly fs: LayeredFs,
    readonly description: string,
  ) {}

  entry(path: string): ContextEntry | undefined {
    return this.lookup(path)?.entry;
  }

  children(path: string): readonly ContextEntry[] {
    let list = this.kids.get(path);
    if (!list) {
      const names = this.fs.readdirSync('/' + path);
      list = names.flatMap((n) => {
        const e = this.entry(path === '' ? n : `${path}/${n}`);
        return e ? [e] : [];
      });
      this.kids.set(path, list);
    }
    return list;
  }

  isIgnored(): boolean {
    return false;
  }

  async diskEntry(path: string): Promise<ContextEntry | undefined> {
    return this.entry(path);
  }

  contentDigest(file: FileEntry): Promise<Digest> {
    let d = this.digests.get(file.path);
    if (!d) {
      d = digestOfStream(createReadStream(this.hostPath(file))).then((r) => r.digest);
      this.digests.set(file.path, d);
    }
    return d;
  }

  async openFile(file: FileEntry): Promise<Readable> {
    return createReadStream(this.hostPath(file));
  }

  readFile(file: FileEntry): Promise<Buffer> {
    return readFile(this.hostPath(file));
  }

  /** Where an entry's bytes live on the host (for copying). */
  hostPath(entry: ContextEntry): string {
    const found = this.lookup(entry.path);
    if (!found) throw new Error(`${entry.path} is not in ${this.description}`);
    return found.hostPath;
  }

  private lookup(path: string): { entry: ContextEntry; hostPath: string } | undefined {
    const cached = this.entries.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const merged = path === '' ? this.fs.lstatSync('/') : this.fs.lstatSync('/' + path);
    let result: { entry: ContextEntry; hostPath: string } | null = null;
    if (merged) {
      const st = lstatSync(merged.hostPath, { bigint: true });
      const type = entryTypeOf(st);
      if (type !== undefined && type !== 'socket') {
        const linkTarget = type === 'symlink' ? readlinkSync(merged.hostPath) : undefined;
        result = {
          entry: makeEntry(path, type, st, linkTarget !== undefined ? { linkTarget } : {}),
          hostPath: merged.hostPath,
        };
      }
    }
    this.entries.set(path, result);
    return result ?? undefined;
  }
}
