import { describe, expect, it } from "vitest";
import { computeSummary } from "./compute-summary.js";

const mnist = { invocations: 10, wallSeconds: 37_476, cpuSeconds: 25_956, itemsComputed: 1599 };
const merge = { invocations: 2, wallSeconds: 25, cpuSeconds: 11.4, itemsComputed: 0 };

describe("computeSummary", () => {
  it("is empty for a results.json from before the ledger", () => {
    expect(computeSummary(undefined)).toBe("");
    expect(computeSummary({ wallSeconds: 12 })).toBe("");
  });

  it("gives the ledger's totals, in hours from an hour on, without a split for one dataset", () => {
    expect(computeSummary({ allInvocations: mnist, invocationsByDataset: { mnist } })).toBe(
      " Compute over every invocation of this configuration (its ledger, `invocations/`): 10 invocations, 7.21 h CPU, 10.41 h wall summed, 1,599 items computed.",
    );
  });

  it("splits by --dataset where the invocations were given different ones", () => {
    const all = { invocations: 12, wallSeconds: 37_501, cpuSeconds: 25_967.4, itemsComputed: 1599 };
    expect(computeSummary({ allInvocations: all, invocationsByDataset: { merge, mnist } })).toBe(
      " Compute over every invocation of this configuration (its ledger, `invocations/`): 12 invocations, 7.21 h CPU, 10.42 h wall summed, 1,599 items computed" +
        " (by `--dataset`: merge 2 invocations, 11 s CPU, 25 s wall summed, 0 items computed; mnist 10 invocations, 7.21 h CPU, 10.41 h wall summed, 1,599 items computed).",
    );
  });
});
