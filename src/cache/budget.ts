/** Something the cache keeps that costs bytes: a pack, a registry blob, a cache-mount snapshot. */
export interface BudgetItem {
  readonly key: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly lastUsed: number;
}

export interface BudgetFit {
  readonly keep: ReadonlySet<string>;
  readonly drop: readonly BudgetItem[];
  readonly keptBytes: number;
  readonly droppedBytes: number;
}

/**
 * Least-recently-used fitting: items are taken most recently used first (ties by key, so the result is
 * deterministic) and kept while they fit; an item that does not fit is dropped and smaller, older ones may
 * still fit after it. The kept bytes never exceed the budget.
 */
export function fitToBudget(items: readonly BudgetItem[], budgetBytes: number): BudgetFit {
  const ordered = [...items].sort(
    (a, b) => b.lastUsed - a.lastUsed || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const keep = new Set<string>();
  const drop: BudgetItem[] = [];
  let keptBytes = 0;
  let droppedBytes = 0;
  for (const item of ordered) {
    if (keptBytes + item.size <= budgetBytes) {
      keep.add(item.key);
      keptBytes += item.size;
    } else {
      drop.push(item);
      droppedBytes += item.size;
    }
  }
  return { keep, drop, keptBytes, droppedBytes };
}
