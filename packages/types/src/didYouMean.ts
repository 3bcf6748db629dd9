/**
 * The candidate `input` was most likely meant to be, or undefined. A candidate matches when it is the
 * same ignoring case, `_` and `-` (`SizeInMb` → `SizeInMB`, `countPerNode` → `count_per_node`), or when
 * it is a small number of edits away (a third of the length, at most 3) ignoring case.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(input);
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(input.length / 3));
  for (const candidate of candidates) {
    if (fold(candidate) === folded) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function fold(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, '');
}

/** Optimal-string-alignment distance (adjacent swaps count once), giving up above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (previous2[j - 2] ?? 0) + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
