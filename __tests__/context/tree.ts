/** Builds real directory trees for the context tests: files, dirs, symlinks, hard links, FIFOs, sockets. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lchownSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type TreeNode =
  | {
      readonly path: string;
      readonly file: string | Buffer;
      readonly mode?: number;
      readonly owner?: [number, number];
    }
  | { readonly path: string; readonly dir: true; readonly mode?: number; readonly owner?: [number, number] }
  | { readonly path: string; readonly symlink: string; readonly owner?: [number, number] }
  | { readonly path: string; readonly hardlink: string }
  | { readonly path: string; readonly fifo: true }
  | { readonly path: string; readonly charDevice: [number, number] };

/** A fresh temporary directory; remove it with removeTree. */
export function tempDir(prefix = 'ctx-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Creates the nodes under root (parents first; modes are applied after all children exist). */
export function makeTree(root: string, nodes: readonly TreeNode[]): void {
  const modes: [string, number][] = [];
  for (const node of nodes) {
    const abs = join(root, node.path);
    mkdirSync(dirname(abs), { recursive: true });
    if ('file' in node) writeFileSync(abs, node.file);
    else if ('dir' in node) mkdirSync(abs, { recursive: true });
    else if ('symlink' in node) symlinkSync(node.symlink, abs);
    else if ('hardlink' in node) linkSync(join(root, node.hardlink), abs);
    else if ('fifo' in node) execFileSync('mkfifo', [abs]);
    else execFileSync('mknod', [abs, 'c', String(node.charDevice[0]), String(node.charDevice[1])]);
    if ('owner' in node && node.owner) lchownSync(abs, node.owner[0], node.owner[1]);
    if ('mode' in node && node.mode !== undefined) modes.push([abs, node.mode]);
  }
  for (const [abs, mode] of modes.reverse()) chmodSync(abs, mode);
}

/** Listens on a Unix socket inside the tree (sockets must be skipped by the walk). */
export async function makeSocket(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
