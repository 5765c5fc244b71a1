/**
 * Searching artefacts for secrets: every file under a directory (gzip'd files — layers, cache packs and
 * indexes — decompressed first, nested gzip members included), texts, and the process list.
 *
 *   const secrets = [{ name: 'password', value: 'hunter2', forms: [base64('user:hunter2')] }];
 *   findInTree(dir, secrets)   // [{ where: 'dir/blobs/sha256/…', secret: 'password' }]
 *
 * A secret is found in any of its forms: the value itself, its base64, or given derived forms such as the
 * base64 of `user:password` in an Authorization header or a docker config.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Secret {
  readonly name: string;
  readonly value: string;
  /** Further encodings to look for besides the value and its base64. */
  readonly forms?: readonly string[];
}

export interface Finding {
  readonly where: string;
  readonly secret: string;
}

function formsOf(s: Secret): string[] {
  const b64 = Buffer.from(s.value).toString('base64');
  // base64 of the value at any of the three alignments within a longer text
  const aligned = [0, 1, 2].map((pad) =>
    Buffer.from('x'.repeat(pad) + s.value)
      .toString('base64')
      .slice(pad === 0 ? 0 : 4, -4),
  );
  return [s.value, b64.replace(/=+$/, ''), ...aligned.filter((a) => a.length >= 8), ...(s.forms ?? [])];
}

/** Which secrets occur in `data` (in any of their forms). */
export function findInBytes(data: Buffer | string, secrets: readonly Secret[]): string[] {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return secrets.filter((s) => formsOf(s).some((f) => bytes.includes(f))).map((s) => s.name);
}

/** Every gzip stream inside `data`, decompressed (layers, packs, gzip'd indexes); the data itself first. */
function expand(data: Buffer): Buffer[] {
  const out = [data];
  if (data.length > 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      const inner = gunzipSync(data);
      out.push(...expand(inner));
    } catch {
      // not gzip after all, or truncated: searched as it is
    }
  }
  return out;
}

/** Searches every regular file under `root` (symlinks not followed). */
export function findInTree(
  root: string,
  secrets: readonly Secret[],
  skip: readonly string[] = [],
): Finding[] {
  const findings: Finding[] = [];
  const walk = (path: string): void => {
    if (skip.includes(path)) return;
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    if (!st.isFile()) return;
    for (const part of expand(readFileSync(path)))
      for (const secret of findInBytes(part, secrets)) findings.push({ where: path, secret });
  };
  walk(root);
  return [...new Map(findings.map((f) => [`${f.where}\0${f.secret}`, f])).values()];
}

/** Command lines of running processes that carry a secret. */
export function findInProcesses(secrets: readonly Secret[]): Finding[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((l) => !l.includes(' ps -eo'))
    .flatMap((line) =>
      findInBytes(line, secrets).map((secret) => ({ where: `process: ${line.trim().slice(0, 80)}`, secret })),
    );
}
