/** Token scopes (distribution `docs/spec/auth/scope.md`): `repository:<name>:<action>[,<action>…]`. */

export type Action = 'pull' | 'push' | 'delete';

export interface RepositoryScope {
  readonly repository: string;
  readonly actions: readonly Action[];
}

/** What a request needs: `required` scopes, plus `optional` ones (mount sources) that may be dropped. */
export interface ScopeSet {
  readonly required: readonly RepositoryScope[];
  readonly optional: readonly RepositoryScope[];
}

export const noScopes: ScopeSet = { required: [], optional: [] };

export function formatScope(s: RepositoryScope): string {
  return `repository:${s.repository}:${s.actions.join(',')}`;
}

/** Parses `repository:name:a,b`; other resource types and malformed scopes give undefined. */
export function parseScope(s: string): RepositoryScope | undefined {
  const first = s.indexOf(':');
  const last = s.lastIndexOf(':');
  if (first < 0 || last <= first || s.slice(0, first) !== 'repository') return undefined;
  const actions = s
    .slice(last + 1)
    .split(',')
    .filter((a): a is Action => a === 'pull' || a === 'push' || a === 'delete');
  return { repository: s.slice(first + 1, last), actions };
}

/** Merges scopes per repository, keeping first-seen order (so the push scope stays first). */
export function mergeScopes(scopes: readonly RepositoryScope[]): RepositoryScope[] {
  const byRepo = new Map<string, Action[]>();
  for (const s of scopes) {
    const actions = byRepo.get(s.repository) ?? [];
    for (const a of s.actions) if (!actions.includes(a)) actions.push(a);
    byRepo.set(s.repository, actions);
  }
  return [...byRepo].map(([repository, actions]) => ({ repository, actions: sortActions(actions) }));
}

/** Every scope of `needed` is contained in `granted`. */
export function coversScopes(
  granted: readonly RepositoryScope[],
  needed: readonly RepositoryScope[],
): boolean {
  return needed.every((n) => {
    const g = granted.find((s) => s.repository === n.repository);
    return g !== undefined && n.actions.every((a) => g.actions.includes(a));
  });
}

/** A stable cache key for a scope list. */
export function scopeKey(scopes: readonly RepositoryScope[]): string {
  return mergeScopes(scopes).map(formatScope).sort().join(' ');
}

/** The scopes for pulling from, or pushing to, a repository (Docker writes `pull,push`). */
export function repositoryScope(repository: string, push: boolean): RepositoryScope {
  return { repository, actions: push ? ['pull', 'push'] : ['pull'] };
}

const actionOrder: readonly Action[] = ['pull', 'push', 'delete'];

function sortActions(actions: readonly Action[]): Action[] {
  return actionOrder.filter((a) => actions.includes(a));
}
