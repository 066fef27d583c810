/**
 * A number signed and to one decimal, with a true minus sign ("+3.0", "−1.2"), as the reports' claim figures print
 * z-scores, percentages and percentage points; "—" where it is not finite (a zero standard error, a missing value).
 */
export function signedDecimal(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}`;
}
