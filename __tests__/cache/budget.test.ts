import { fitToBudget, type BudgetItem } from '../../src/cache/budget.js';

const item = (key: string, size: number, lastUsed: number): BudgetItem => ({ key, size, lastUsed });

const cases: {
  name: string;
  given: { items: BudgetItem[]; budget: number };
  want: { keep: string[]; dropped: number };
}[] = [
  {
    name: 'everything fits',
    given: { items: [item('a', 10, 1), item('b', 10, 2)], budget: 20 },
    want: { keep: ['a', 'b'], dropped: 0 },
  },
  {
    name: 'the least recently used goes first',
    given: { items: [item('old', 10, 1), item('new', 10, 5), item('mid', 10, 3)], budget: 20 },
    want: { keep: ['mid', 'new'], dropped: 10 },
  },
  {
    name: 'a big recent item that does not fit lets smaller older ones stay',
    given: { items: [item('big', 50, 9), item('a', 10, 1), item('b', 10, 2)], budget: 30 },
    want: { keep: ['a', 'b'], dropped: 50 },
  },
  {
    name: 'ties are broken by key, so the result is stable',
    given: { items: [item('b', 10, 1), item('a', 10, 1)], budget: 10 },
    want: { keep: ['a'], dropped: 10 },
  },
  {
    name: 'a zero budget keeps nothing but empty items',
    given: { items: [item('e', 0, 1), item('x', 1, 2)], budget: 0 },
    want: { keep: ['e'], dropped: 1 },
  },
];

describe('fitToBudget', () => {
  it.each(cases)('$name', ({ given, want }) => {
    const fit = fitToBudget(given.items, given.budget);
    expect([...fit.keep].sort()).toEqual(want.keep);
    expect(fit.droppedBytes).toBe(want.dropped);
    expect(fit.keptBytes).toBeLessThanOrEqual(given.budget);
    expect(fit.keptBytes + fit.droppedBytes).toBe(given.items.reduce((n, i) => n + i.size, 0));
  });
});
