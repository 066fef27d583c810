/** Two methods whose order in our results is the reverse of the paper's, or that we tie where the paper does not. */
export interface DiscordantPair {
  /** Better than `second` in the paper. */
  readonly first: string;
  /** Better than `first` in our results, or tied with it (`tie`). */
  readonly second: string;
  /** Our numbers are exactly equal (frequent for post-hoc accuracy on few points). */
  readonly tie: boolean;
}

/**
 * The pairs of methods that our numbers order differently from the paper's, for one column of a table (one
 * dataset, function and ε). "Better" is lower (P_MSE, post-hoc accuracy). Pairs the paper ties (equal printed
 * numbers) have no order to disagree with and are skipped; a pair the paper orders and we tie exactly counts as
 * discordant. Methods missing on either side are skipped.
 */
export function discordantPairs(ours: Readonly<Record<string, number>>, paper: Readonly<Record<string, number>>): DiscordantPair[] {
  const methods = Object.keys(paper).filter((m) => Number.isFinite(paper[m]) && Number.isFinite(ours[m]));
  const pairs: DiscordantPair[] = [];
  for (let i = 0; i < methods.length; i++) {
    for (let j = i + 1; j < methods.length; j++) {
      const a = methods[i], b = methods[j];
      if (paper[a] === paper[b]) continue;
      const [first, second] = paper[a] < paper[b] ? [a, b] : [b, a];
      if (!(ours[first] < ours[second])) pairs.push({ first, second, tie: ours[first] === ours[second] });
    }
  }
  return pairs;
}

/** A one-cell summary of {@link discordantPairs} for a table's "ordering" row. */
export function orderingSummary(pairs: readonly DiscordantPair[]): string {
  const reversed = pairs.filter((p) => !p.tie).length;
  const ties = pairs.length - reversed;
  if (pairs.length === 0) return "agrees";
  const parts = [];
  if (reversed > 0) parts.push(`${reversed} pair${reversed > 1 ? "s" : ""} reversed`);
  if (ties > 0) parts.push(`${ties} tie${ties > 1 ? "s" : ""}`);
  return reversed === 0 ? `agrees up to ${parts[0]}` : parts.join(", ");
}

/** The methods sorted best (lowest) first, ties in the given order. */
export function rankMethods(values: Readonly<Record<string, number>>): string[] {
  return Object.keys(values)
    .filter((m) => Number.isFinite(values[m]))
    .sort((a, b) => values[a] - values[b]);
}

/**
 * The ranking of {@link rankMethods} as text, best first: `"a < b = c < d"`. Exact ties (common with post-hoc
 * accuracy on few points) read `=`, so a listing order is never mistaken for a measured one.
 */
export function formatRanking(values: Readonly<Record<string, number>>): string {
  const ranked = rankMethods(values);
  return ranked.map((m, i) => (i === 0 ? m : `${values[ranked[i - 1]] === values[m] ? "=" : "<"} ${m}`)).join(" ");
}
