/**
 * Registry helpers for the reliability suite: a fault mix for the fault proxy, credentials for the CLI, and the
 * check that matters after any failure — no tag points at an image whose blobs are missing.
 *
 *   proxy.addRule({ match: () => true, rate: 0.1, fault: faultMix(['status-503', 'reset', …]) });
 *   const audit = await auditTags(registry, ['rel/app-1', …]);   // { tags: […], broken: […] }
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Fault, FaultPicker } from './registry-fault-proxy.js';
import type { TestRegistry } from './registry.js';

const run = promisify(execFile);

/** The faults the reliability suite injects, by name. */
export const faultKinds = {
  'status-429': {
    kind: 'status',
    status: 429,
    headers: { 'retry-after': '1' },
    body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
  },
  'status-500': { kind: 'status', status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"internal"}]}' },
  'status-502': { kind: 'status', status: 502, body: '<html>bad gateway</html>' },
  'status-503': { kind: 'status', status: 503, body: '{"errors":[{"code":"UNAVAILABLE","message":"down"}]}' },
  reset: { kind: 'reset' },
  'reset-mid-body': { kind: 'reset-mid-body' },
  slow: { kind: 'delay', ms: 1500 },
  'token-expired': { kind: 'token-expired' },
} as const satisfies Record<string, Fault>;

export type FaultName = keyof typeof faultKinds;

/** A picker choosing one of `names` uniformly per faulted request. */
export function faultMix(names: readonly FaultName[]): FaultPicker {
  return (_req, random) => faultKinds[names[Math.floor(random() * names.length)]!];
}

/** A DOCKER_CONFIG directory with credentials for `host` (removed by `cleanup`). */
export function dockerConfig(
  host: string,
  username: string,
  password: string,
): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ib-docker-config-'));
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TagAudit {
  /** Every `repository:tag` found. */
  readonly tags: readonly string[];
  /** Tags whose image could not be copied completely, with skopeo's error. */
  readonly broken: readonly { readonly tag: string; readonly error: string }[];
}

/**
 * Lists every tag of the repositories with skopeo (straight to the registry, no proxy) and copies each tagged
 * image into a throwaway OCI layout: skopeo fetches and verifies the manifest, the config and every layer, so a
 * tag pointing at a manifest with a missing blob shows up as broken.
 */
export async function auditTags(registry: TestRegistry, repositories: readonly string[]): Promise<TagAudit> {
  const tags: string[] = [];
  const broken: { tag: string; error: string }[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'ib-audit-'));
  try {
    for (const repo of repositories) {
      for (const tag of await listTags(registry, repo)) {
        const ref = `${repo}:${tag}`;
        tags.push(ref);
        try {
          await run(
            'skopeo',
            [
              'copy',
              '--retry-times=0',
              ...registry.skopeoArgs('src'),
              `docker://${registry.host}/${ref}`,
              `oci:${join(scratch, String(tags.length))}:${tag}`,
            ],
            { maxBuffer: 16 << 20 },
          );
        } catch (err) {
          broken.push({ tag: ref, error: String((err as { stderr?: string }).stderr ?? err).trim() });
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { tags, broken };
}

/** Tags of a repository; [] when the registry does not know it. */
export async function listTags(registry: TestRegistry, repository: string): Promise<string[]> {
  try {
    const { stdout } = await run('skopeo', [
      'list-tags',
      ...registry.skopeoArgs(),
      `docker://${registry.host}/${repository}`,
    ]);
    return ((JSON.parse(stdout) as { Tags: string[] | null }).Tags ?? []).sort();
  } catch (err) {
    if (/name unknown|not found|404/i.test(String((err as { stderr?: string }).stderr ?? err))) return [];
    throw err;
  }
}
