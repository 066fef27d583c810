// The public API of @smoothhess/metrics/tfjs, pinned like the main entry's: an export added, renamed or removed fails
// this test until public-api.txt (one runtime export per line, sorted) is updated on purpose; see CONTRIBUTING.md,
// "API snapshots".
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("@smoothhess/metrics/tfjs exports exactly the names in public-api.txt", async () => {
  const exported = Object.keys(await import("./index.js")).sort();
  const pinned = readFileSync(new URL("./public-api.txt", import.meta.url), "utf8").split("\n").filter((line) => line !== "");
  expect(exported).toEqual(pinned);
});
