/** "did you mean …?" suggestions: the closest option by edit distance, if close enough. */

/** The option closest to `word` (at most 2 edits, 1 for words of up to 3 characters), or undefined. */
export function closestMatch(
  word: string,
  options: Iterable<string>,
  caseSensitive = true,
): string | undefined {
  const norm = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  const target = norm(word);
  if (target === '') return undefined;
  const limit = [...target].length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const option of options) {
    const distance = editDistance(target, norm(option));
    if (distance < bestDistance && distance > 0) {
      best = option;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[y.length]!;
}

/** ` (did you mean X?)` or an empty string. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}
