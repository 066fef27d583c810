/** `count` values spaced evenly in log10 from `from` to `to`, both included. */
export function logGrid(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  const a = Math.log10(from), b = Math.log10(to);
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}
