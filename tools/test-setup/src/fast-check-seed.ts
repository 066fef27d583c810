import { randomInt } from "node:crypto";

/**
 * The seed every fast-check property runs with when `FC_SEED` is unset, so that every CI run checks the same
 * cases. Changing it changes the cases CI checks: run the property tests once with the new value before landing.
 */
export const DEFAULT_FAST_CHECK_SEED = 20231116;

/** The environment variable that overrides {@link DEFAULT_FAST_CHECK_SEED}: an integer, or `random`. */
export const FAST_CHECK_SEED_VARIABLE = "FC_SEED";

/** Where a {@link FastCheckSeed} came from. */
export type FastCheckSeedSource = "default" | "environment" | "random";

/** The seed the property tests run with, and where it came from. */
export interface FastCheckSeed {
  /** A signed 32-bit integer, the form fast-check prints in `{ seed: …, path: … }`. */
  seed: number;
  source: FastCheckSeedSource;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** A fresh signed 32-bit seed from the operating system's generator. */
export function randomFastCheckSeed(): number {
  return randomInt(INT32_MIN, INT32_MAX + 1);
}

/**
 * Reads the value of `FC_SEED`: unset or empty gives {@link DEFAULT_FAST_CHECK_SEED}; `random` gives a fresh seed
 * from `drawSeed`; anything else must be a signed 32-bit integer (fast-check prints negative seeds too).
 *
 * @throws Error naming `FC_SEED`, what it accepts and what it received, for any other value.
 */
export function resolveFastCheckSeed(
  value: string | undefined,
  drawSeed: () => number = randomFastCheckSeed,
): FastCheckSeed {
  const text = value?.trim() ?? "";
  if (text === "") return { seed: DEFAULT_FAST_CHECK_SEED, source: "default" };
  if (text.toLowerCase() === "random") return { seed: drawSeed(), source: "random" };
  const seed = Number(text);
  if (!/^[+-]?\d+$/.test(text) || seed < INT32_MIN || seed > INT32_MAX) {
    throw new Error(
      `${FAST_CHECK_SEED_VARIABLE} must be a signed 32-bit integer or "random" (unset: ${DEFAULT_FAST_CHECK_SEED}); received ${JSON.stringify(value)}`,
    );
  }
  return { seed, source: "environment" };
}
