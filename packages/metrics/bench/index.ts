/**
 * Benchmarks of @smoothhess/metrics. Run with `pnpm --filter @smoothhess/metrics bench` (all) or
 * `pnpm --filter @smoothhess/metrics bench attack`.
 */
import { machineLine } from "@smoothhess/bench-tools";
import { benchAttack } from "./attack.js";

const which = process.argv[2] ?? "all";
console.log(`# @smoothhess/metrics benchmarks\n${machineLine()}\n`);
if (which === "all" || which === "attack") await benchAttack();
