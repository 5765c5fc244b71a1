import { createReadStream } from 'node:fs';
import { checksumSelection } from '../../context/checksum.js';
import { selectSources, type Selection } from '../../context/select-sources.js';
import type { SourceTree } from '../../context/source-tree.js';
import { expandInstruction, type AddInstruction, type CopyInstruction } from '../../dockerfile/index.js';
import { BuildStepError } from '../../errors.js';
import { sha256 } from '../../oci/digest.js';
import type { Json } from '../../plan/cache-key.js';
import { resolveSource } from '../../plan/stage-graph.js';
import { parseChmod } from '../chmod.js';
import { resolveFileOwner } from '../file-owner.js';
import { copyHistory } from '../history.js';
import { LayeredFs } from '../rootfs/layered-fs.js';
import { resolveAgainst } from '../rootfs/paths.js';
import { UpperWriter } from '../rootfs/upper-writer.js';
import { RootfsTree } from '../rootfs-tree.js';
import type { BuildSession, StageState, StepInfo } from '../session.js';
import { isRemoteSource, prepareRemoteSources, type RemoteFile } from './add-sources.js';
import { isArchive, writeArchives, type ArchiveItem } from './add-archive.js';
import { writeCopy, type ExtraFile } from './copy-write.js';
import { runFsStep, stageLowers } from './fs-step.js';

type CopyLike = CopyInstruction | AddInstruction;

/** COPY and ADD: select the sources, key the step by their content, write them into a new layer. */
export async function copyStep(
  s: BuildSession,
  state: StageState,
  ins: CopyLike,
  info: StepInfo,
): Promise<StageState> {
  const { instruction: c } = expandInstruction(ins, state.env, {
    escapeToken: s.plan.dockerfile.escapeToken,
  });
  const isAdd = c.kind === 'add';
  const remote = isAdd ? c.sources.filter(isRemoteSource) : [];
  const local = c.sources.filter((src) => !remote.includes(src));
  if (isAdd && remote.length > 0 && c.checksum !== undefined && c.sources.length > 1) {
    throw new BuildStepError('ADD --checksum works with a single source only', { location: ins.location });
  }
  const source = await sourceOf(s, state, c);
  const selectFrom = async (tree: SourceTree): Promise<Selection> => {
    const selection =
      local.length > 0
        ? await selectSources(tree, {
            sources: local,
            exclude: c.exclude,
            parents: c.kind === 'copy' && c.parents,
            instruction: isAdd ? 'ADD' : 'COPY',
            location: ins.location,
          })
        : { items: [], emptyWildcards: [], multipleSources: false };
    for (const w of selection.emptyWildcards)
      s.warnings.push(
        `${ins.location.file}:${ins.location.line}: ${isAdd ? 'ADD' : 'COPY'} source ${JSON.stringify(w)} matched no files`,
      );
    return selection;
  };
  // The build context is selected now: its content keys the step. Another stage or an image is opened only if
  // the step runs — on a cache hit its layers need not even be downloaded.
  const contextTree = source.kind === 'context' ? source.tree : undefined;
  const contextSelection = contextTree ? await selectFrom(contextTree) : undefined;
  const downloads =
    remote.length > 0
      ? await prepareRemoteSources(
          s,
          remote,
          isAdd ? c.checksum : undefined,
          isAdd ? c.unpack : undefined,
          ins.location,
        )
      : [];
  const chmod = c.chmod !== undefined ? parseChmod(c.chmod, ins.location) : undefined;
  const link = c.link && c.chmod === undefined;
  const dest =
    resolveAgainst(state.workdir, c.destination) +
    (/\/\.?$/.test(c.destination) || c.destination === '.' ? '/' : '');
  const unpack = isAdd ? (c.unpack ?? true) : false;
  const archives: ArchiveItem[] =
    unpack && contextTree && contextSelection ? await findArchives(contextTree, contextSelection) : [];
  const inputs: Record<string, Json> = {
    op: isAdd ? 'add' : 'copy',
    sources: [...c.sources],
    inline: c.inlineFiles.map((f) => ({ name: f.name, content: sha256(f.content) })),
    dest,
    chown: c.chown ?? null,
    chmod: c.chmod ?? null,
    link,
    parents: c.kind === 'copy' ? c.parents : false,
    exclude: [...c.exclude],
    from: source.key,
    // Context files are keyed by content. Another stage's files are determined by that stage's key (and an
    // image's by its digest), already in `from`: hashing them again on every build would read the whole selection.
    files: contextTree && contextSelection ? await checksumSelection(contextTree, contextSelection) : null,
    remote: downloads.map((d) => ({ url: d.url, digest: d.digest })),
    unpack,
  };
  return runFsStep(s, state, info, {
    inputs,
    independent: link,
    history: copyHistory(
      isAdd ? 'ADD' : 'COPY',
      {
        parents: c.kind === 'copy' && c.parents,
        ...(c.chown ? { chown: c.chown } : {}),
        ...(c.chmod ? { chmod: c.chmod } : {}),
      },
      c.sources,
      c.inlineFiles.map((f) => f.name),
      c.destination,
    ),
    execute: async (upper, lowers) => {
      const writer = new UpperWriter(upper, lowers);
      const owner =
        c.chown !== undefined
          ? await resolveFileOwner(c.chown, link ? new LayeredFs(await stageLowers(s, state)) : writer.view)
          : undefined;
      const epoch = s.req.sourceDateEpoch;
      const extras: ExtraFile[] = [
        ...c.inlineFiles.map((f): ExtraFile => ({ name: f.name, content: { data: f.content }, mode: 0o644 })),
        ...downloads
          .filter((d) => !d.unpack)
          .map((d: RemoteFile): ExtraFile => ({
            name: d.name,
            content: { hostPath: d.path },
            mode: 0o600,
            ...(d.mtime !== undefined ? { mtime: d.mtime } : {}),
          })),
      ];
      const tree = source.kind === 'context' ? source.tree : await source.open();
      const selection = contextSelection ?? (await selectFrom(tree));
      const plain = archives.length > 0 ? withoutArchives(selection, archives) : selection;
      await writeCopy({
        writer,
        tree,
        selection: plain,
        extras,
        dest,
        resolveDest: !link,
        owner,
        treeOwner: source.owner,
        chmod,
        epoch,
        location: ins.location,
      });
      const toUnpack = [
        ...archives,
        ...downloads
          .filter((d) => d.unpack)
          .map((d): ArchiveItem => ({
            open: async () => createReadStream(d.path),
            name: d.name,
          })),
      ];
      if (toUnpack.length > 0)
        await writeArchives({
          writer,
          items: toUnpack,
          dest,
          resolveDest: !link,
          owner,
          epoch,
          location: ins.location,
        });
    },
  });
}

/** Where COPY reads from: the build context, another stage, or an image; what that adds to the cache key. */
type CopySource =
  | { readonly kind: 'context'; readonly tree: SourceTree; readonly key: Json; readonly owner: 'root' }
  | {
      readonly kind: 'rootfs';
      readonly open: () => Promise<SourceTree>;
      readonly key: Json;
      readonly owner: 'preserve';
    };

async function sourceOf(s: BuildSession, state: StageState, c: CopyLike): Promise<CopySource> {
  const from = c.kind === 'copy' ? c.from : undefined;
  if (from === undefined) return { kind: 'context', tree: s.req.context, key: 'context', owner: 'root' };
  const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, c);
  if (src.kind === 'stage') {
    const stage = s.stages.get(src.index);
    if (!stage) throw new BuildStepError(`stage ${from} was not built`, { location: c.location });
    return {
      kind: 'rootfs',
      open: async () =>
        new RootfsTree(new LayeredFs(await stageLowers(s, stage)), `stage ${stage.plan.label}`),
      key: { stage: stage.chainKey },
      owner: 'preserve',
    };
  }
  const img = await s.bases.resolve(src.ref, state.plan.platform, c.location);
  return {
    kind: 'rootfs',
    open: async () => {
      const dirs = await Promise.all(img.image.layers.map((l) => s.layerDirs.get(l, `layer of ${src.ref}`)));
      return new RootfsTree(new LayeredFs(dirs.reverse()), `image ${src.ref}`);
    },
    key: { image: img.digest },
    owner: 'preserve',
  };
}

/** ADD unpacks local files that are archives (by content: a tar, compressed or not). */
async function findArchives(tree: SourceTree, selection: Selection): Promise<ArchiveItem[]> {
  const out: ArchiveItem[] = [];
  for (const item of selection.items) {
    if (item.kind !== 'single' || item.entry.type !== 'file') continue;
    const entry = item.entry;
    if (await isArchive(() => tree.openFile(entry)))
      out.push({ open: () => tree.openFile(entry), name: item.name, source: item });
  }
  return out;
}

function withoutArchives(selection: Selection, archives: readonly ArchiveItem[]): Selection {
  const skip = new Set(archives.map((a) => a.source));
  return { ...selection, items: selection.items.filter((i) => !skip.has(i)) };
}
