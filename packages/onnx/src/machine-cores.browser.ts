// The browser build's replacement for `machine-cores.ts` (see tsup.config.ts, "browser variants").
import type { machineCores as nodeMachineCores } from "./machine-cores.js";

/** The machine's logical cores as the browser reports them (`navigator.hardwareConcurrency`, 1 when it does not). */
export const machineCores: typeof nodeMachineCores = async () => {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency && nav.hardwareConcurrency > 0 ? nav.hardwareConcurrency : 1;
};
