export {
  DEFAULT_FAST_CHECK_SEED,
  FAST_CHECK_SEED_VARIABLE,
  randomFastCheckSeed,
  resolveFastCheckSeed,
} from "./fast-check-seed.js";
export type { FastCheckSeed, FastCheckSeedSource } from "./fast-check-seed.js";
