import { signedDecimal } from "./signed-decimal.js";

/**
 * A difference in units of its standard error, signed and to one decimal ("+3.0", "−1.2"), as the reports' claim
 * figures print it; "—" where the ratio is not finite (a zero standard error, a missing value).
 */
export function zScore(difference: number, standardError: number): string {
  return signedDecimal(difference / standardError);
}
