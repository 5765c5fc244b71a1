import { TarError } from './errors.js';
import { isValidPaxRecord } from './pax.js';
import type { TarHeader } from './types.js';

const entryTypes: ReadonlySet<string> = new Set([
  'file',
  'directory',
  'symlink',
  'hardlink',
  'char',
  'block',
  'fifo',
]);

/** Throws TarError('invalid-header') unless `h` describes an entry a layer tar may hold. */
export function validateHeader(h: TarHeader): void {
  const bad = (what: string): never => {
    throw new TarError('invalid-header', `cannot write tar entry ${JSON.stringify(h.path)}: ${what}`);
  };
  if (!entryTypes.has(h.type)) bad(`unknown entry type ${JSON.stringify(h.type)}`);
  const pathProblem = cleanPathProblem(h.path);
  if (pathProblem) bad(`path ${pathProblem}`);
  if (!Number.isInteger(h.mode) || h.mode < 0 || h.mode > 0o7777)
    bad(`mode ${h.mode} is not within 0..07777`);
  for (const [name, v] of [
    ['uid', h.uid],
    ['gid', h.gid],
    ['size', h.size],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) bad(`${name} ${v} is not a non-negative integer`);
  }
  if (!Number.isSafeInteger(h.mtime)) bad(`mtime ${h.mtime} is not a whole number of seconds`);
  if (h.type !== 'file' && h.size !== 0) bad(`a ${h.type} entry must have size 0, not ${h.size}`);
  validateLink(h, bad);
  validateDevice(h, bad);
  for (const [name, v] of [
    ['uname', h.uname],
    ['gname', h.gname],
  ] as const) {
    if (v !== undefined && v.includes('\0')) bad(`${name} contains a NUL byte`);
  }
  for (const key of Object.keys(h.xattrs ?? {})) {
    if (!isValidPaxRecord(`SCHILY.xattr.${key}`, Buffer.alloc(0)))
      bad(`invalid xattr name ${JSON.stringify(key)}`);
  }
  for (const [key, value] of Object.entries(h.pax ?? {})) {
    if (!isValidPaxRecord(key, Buffer.from(value))) bad(`invalid PAX record ${JSON.stringify(key)}`);
  }
}

function validateLink(h: TarHeader, bad: (what: string) => never): void {
  const isLink = h.type === 'symlink' || h.type === 'hardlink';
  if (!isLink) {
    if (h.linkname !== undefined) bad(`a ${h.type} entry cannot have a linkname`);
    return;
  }
  if (h.linkname === undefined || h.linkname === '') bad(`a ${h.type} needs a linkname`);
  if (h.linkname!.includes('\0')) bad('linkname contains a NUL byte');
  if (h.type === 'hardlink') {
    const problem = cleanPathProblem(h.linkname!);
    if (problem) bad(`hardlink target ${problem}`);
  }
}

function validateDevice(h: TarHeader, bad: (what: string) => never): void {
  const isDevice = h.type === 'char' || h.type === 'block';
  for (const [name, v] of [
    ['devmajor', h.devmajor],
    ['devminor', h.devminor],
  ] as const) {
    if (v === undefined || v === 0) continue;
    if (!isDevice) bad(`a ${h.type} entry cannot have ${name}`);
    if (!Number.isInteger(v) || v < 0 || v >= 0o10000000) bad(`${name} ${v} does not fit in 7 octal digits`);
  }
}

/**
 * Why `p` is not a clean relative path (non-empty, no leading or trailing `/`, no empty, `.` or `..`
 * components, no NUL), or undefined when it is.
 */
export function cleanPathProblem(p: string): string | undefined {
  if (p === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.startsWith('/')) return `${JSON.stringify(p)} is absolute`;
  if (p.endsWith('/')) return `${JSON.stringify(p)} ends with '/'`;
  for (const part of p.split('/')) {
    if (part === '' || part === '.' || part === '..')
      return `${JSON.stringify(p)} is not a clean relative path`;
  }
  return undefined;
}
