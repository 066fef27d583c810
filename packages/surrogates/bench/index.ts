/**
 * Benchmarks of @smoothhess/surrogates. Run with `pnpm --filter @smoothhess/surrogates bench` (all), or
 * `... bench reference` / `... bench tfjs` for one. Times are ratios against one gradient call of the same network
 * measured in the same process (the cores are shared, so absolute times are noisy).
 */
import { machineLine } from "@smoothhess/bench-tools";
import { benchReferenceHessian } from "./reference-hessian.js";
import { benchTfjsHessian } from "./tfjs-hessian.js";

const which = process.argv[2] ?? "all";
console.log(`# @smoothhess/surrogates benchmarks\n${machineLine()}\n`);
if (which === "all" || which === "reference") await benchReferenceHessian();
if (which === "all" || which === "tfjs") await benchTfjsHessian();
