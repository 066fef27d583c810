import { createHash } from "node:crypto";
import { stableStringify } from "./stable-stringify.js";

/**
 * The SHA-256 (hex) of an experiment's name and configuration: the key of its checkpoints and invocation ledger.
 * Any change to what a configuration holds changes it, so checkpoints computed under another configuration are
 * never reused; a new option must therefore leave its default out of the configuration, or every earlier run's
 * checkpoints (the published ones included) would stop matching.
 */
export function configurationFingerprint(experiment: string, config: unknown): string {
  return createHash("sha256").update(stableStringify({ experiment, config })).digest("hex");
}
