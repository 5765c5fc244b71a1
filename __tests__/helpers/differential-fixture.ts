/**
 * Differential fixtures: a folder with a Dockerfile (its first line `ARG BASE`, then `FROM ${BASE}` where it uses
 * the shared base image), context files, an optional `setup.sh` (run in the copied context for what git cannot
 * store: owners, special bits, hardlinks, empty directories, archives), an optional `served/` folder (files an ADD
 * downloads from a loopback server whose URL is the build arg HTTP_BASE) and `expect.json`:
 *
 *   {
 *     "proves": "what the fixture is about",
 *     "buildArgs": { "A": "1" },              // both builders (BASE is added)
 *     "target": "stage",                      // --target
 *     "sourceDateEpoch": 1700000000,          // ours: SOURCE_DATE_EPOCH; buildah: --timestamp; mtimes compared
 *     "buildahFormat": "docker",              // HEALTHCHECK, SHELL, ONBUILD are Docker-format-only in buildah
 *     "buildahDockerfile": "Dockerfile.buildah", // an equivalent for syntax buildah 1.28 lacks (heredocs, --parents)
 *     "history": ["RUN /bin/sh -c … # buildkit"], // BuildKit's created_by of the entries after the base
 *                                                 // ({{HTTP_BASE}} stands for the served/ folder's URL)
 *     "allowedDifferences": [
 *       { "path": "/run", "field": "presence", "reason": "…" },
 *       { "config": "WorkingDir", "ours": "\"/\"", "buildah": "absent", "reason": "…" }
 *     ]
 *   }
 *
 * Every allowance must match at least one difference, so an allowance that no longer applies fails the fixture.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Difference, TreeField } from './differential-tree.js';

export interface Allowance {
  /** A container path; `/dir/**` matches everything below /dir. */
  readonly path?: string;
  /** The tree field (or `presence`); with `config`, omitted. Omitted with `path`: any field. */
  readonly field?: TreeField | 'presence';
  /** A config field name (Env, WorkingDir, …). */
  readonly config?: string;
  /** When given, the rendered values must be exactly these. */
  readonly ours?: string;
  readonly buildah?: string;
  readonly reason: string;
}

export interface Fixture {
  readonly name: string;
  readonly dir: string;
  readonly proves: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly sourceDateEpoch?: number;
  readonly buildahFormat: 'oci' | 'docker';
  readonly buildahDockerfile: string;
  readonly history?: readonly string[];
  readonly allowed: readonly Allowance[];
}

/**
 * The buildah the allowances were verified with (Debian 12). Another version may have fixed some of its
 * differences from BuildKit: there, an allowance that matches nothing is reported but does not fail.
 */
export const verifiedBuildahVersion = '1.28.2';

/** Files of a fixture folder that are not part of the build context. */
export const fixtureControlFiles = ['expect.json', 'setup.sh', 'served'];

/** Fixture folder names, sorted (a folder is a fixture when it has a Dockerfile). */
export function listFixtures(root: string): string[] {
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory() && existsSync(join(root, n, 'Dockerfile')))
    .sort();
}

export function loadFixture(root: string, name: string): Fixture {
  const dir = join(root, name);
  const raw = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as Record<string, unknown>;
  const known = [
    'proves',
    'buildArgs',
    'target',
    'sourceDateEpoch',
    'buildahFormat',
    'buildahDockerfile',
    'history',
    'allowedDifferences',
  ];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`${name}/expect.json: unknown keys ${unknown.join(', ')}`);
  if (typeof raw['proves'] !== 'string') throw new Error(`${name}/expect.json: "proves" is required`);
  const allowed = (raw['allowedDifferences'] ?? []) as Allowance[];
  for (const a of allowed) {
    if (!a.reason || (a.path === undefined) === (a.config === undefined))
      throw new Error(
        `${name}/expect.json: each allowance needs a reason and either a path or a config field`,
      );
  }
  return {
    name,
    dir,
    proves: raw['proves'],
    buildArgs: (raw['buildArgs'] ?? {}) as Record<string, string>,
    ...(typeof raw['target'] === 'string' ? { target: raw['target'] } : {}),
    ...(typeof raw['sourceDateEpoch'] === 'number' ? { sourceDateEpoch: raw['sourceDateEpoch'] } : {}),
    buildahFormat: raw['buildahFormat'] === 'docker' ? 'docker' : 'oci',
    buildahDockerfile: typeof raw['buildahDockerfile'] === 'string' ? raw['buildahDockerfile'] : 'Dockerfile',
    ...(Array.isArray(raw['history']) ? { history: raw['history'] as string[] } : {}),
    allowed,
  };
}

export function allows(a: Allowance, d: Difference): boolean {
  if (d.kind === 'config') {
    if (a.config !== d.field) return false;
  } else {
    if (a.path === undefined || !pathMatches(a.path, d.path)) return false;
    if (a.field !== undefined && a.field !== d.field) return false;
  }
  if (a.ours !== undefined && a.ours !== d.ours) return false;
  if (a.buildah !== undefined && a.buildah !== d.buildah) return false;
  return true;
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('/**')) return path.startsWith(pattern.slice(0, -2));
  return pattern === path;
}

export interface Verdict {
  /** Differences no allowance covers. */
  readonly unexpected: readonly Difference[];
  /** Allowances that matched nothing (stale). */
  readonly unused: readonly Allowance[];
}

export function judge(differences: readonly Difference[], allowed: readonly Allowance[]): Verdict {
  const used = new Set<Allowance>();
  const unexpected: Difference[] = [];
  for (const d of differences) {
    const a = allowed.find((x) => allows(x, d));
    if (a) used.add(a);
    else unexpected.push(d);
  }
  return { unexpected, unused: allowed.filter((a) => !used.has(a)) };
}
