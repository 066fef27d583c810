/**
 * Vitest setup file (`test.setupFiles: ["@smoothhess/test-setup/fast-check"]`): seeds every fast-check run in the
 * test file. `FC_SEED` unset → `DEFAULT_FAST_CHECK_SEED`; `FC_SEED=<int>` → that seed; `FC_SEED=random` → a
 * fresh seed, printed so a failure can be replayed. A property that passes its own `seed` keeps it.
 *
 * fast-check still prints `{ seed: …, path: "…" }` with every counterexample; replay it with `FC_SEED=<seed>`, or
 * pin `{ seed, path }` on that `fc.assert` while debugging.
 */
import fc from "fast-check";
import { FAST_CHECK_SEED_VARIABLE, resolveFastCheckSeed } from "./fast-check-seed.js";

const { seed, source } = resolveFastCheckSeed(process.env[FAST_CHECK_SEED_VARIABLE]);
if (source !== "default") {
  const given = source === "random" ? `${FAST_CHECK_SEED_VARIABLE}=random` : `${FAST_CHECK_SEED_VARIABLE}`;
  console.log(`[fast-check] seed ${seed} (from ${given}); replay with ${FAST_CHECK_SEED_VARIABLE}=${seed}`);
}
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
