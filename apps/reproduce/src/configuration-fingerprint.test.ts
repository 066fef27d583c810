import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configurationFingerprint } from "./configuration-fingerprint.js";
import { configureAttack } from "./experiments/attack/config.js";
import { configurePmse } from "./experiments/pmse/config.js";
import { parseOptions } from "./parse-options.js";

const PUBLISHED = fileURLToPath(new URL("../published/", import.meta.url));

/** The fingerprint folders of a published sharded experiment's checkpoints, as committed. */
function publishedFingerprints(experiment: string): string[] {
  return readdirSync(`${PUBLISHED}${experiment}/shard-0/${experiment}-authors/checkpoints`);
}

describe("configurationFingerprint", () => {
  it("depends on the experiment's name and on every value of its configuration, not on key order", () => {
    const a = configurationFingerprint("pmse", { x: 1, y: [1, 2] });
    expect(configurationFingerprint("pmse", { y: [1, 2], x: 1 })).toBe(a);
    expect(configurationFingerprint("attack", { x: 1, y: [1, 2] })).not.toBe(a);
    expect(configurationFingerprint("pmse", { x: 1, y: [2, 1] })).not.toBe(a);
    // a key present with the value undefined counts too: a new option is left out of the object, not set undefined
    expect(configurationFingerprint("pmse", { x: 1, y: [1, 2], z: undefined })).not.toBe(a);
  });

  // The published checkpoints (published/README.md) resume only while `--full --model authors` keeps its
  // configuration: an option added with its default in the configuration would silently recompute all of them.
  it.each([
    ["pmse", configurePmse],
    ["attack", configureAttack],
  ] as const)("%s --full --model authors still has the published checkpoints' fingerprint", (name, configure) => {
    const config = configure(parseOptions({ full: true, model: "authors" }));
    expect(publishedFingerprints(name)).toContain(configurationFingerprint(name, config).slice(0, 16));
  });
});
