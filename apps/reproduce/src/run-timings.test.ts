import { describe, expect, it } from "vitest";
import { CorruptFileError } from "./corrupt-file-error.js";
import { checkRunTimings } from "./run-timings.js";

const totals = { invocations: 2, wallSeconds: 10, cpuSeconds: 8, itemsComputed: 5 };

describe("checkRunTimings", () => {
  it("accepts what the runner writes, and the older documents that lack the later fields", () => {
    const full = { wallSeconds: 1.5, finishedAt: "2026-01-01T00:00:00.000Z", allInvocations: totals, invocationsByDataset: { mnist: totals } };
    expect(checkRunTimings("r.json", full)).toEqual(full);
    expect(checkRunTimings("r.json", { wallSeconds: 3 })).toEqual({ wallSeconds: 3 });
    expect(checkRunTimings("r.json", {})).toEqual({});
  });

  it("names the file and the first field that is not of the runner's shape", () => {
    const cases: [unknown, RegExp][] = [
      [[], /r\.json: has timings that are not an object/],
      [{ wallSeconds: "12" }, /timings\.wallSeconds that is not a non-negative number/],
      [{ wallSeconds: -1 }, /timings\.wallSeconds/],
      [{ finishedAt: 5 }, /timings\.finishedAt that is not a string/],
      [{ allInvocations: { ...totals, cpuSeconds: null } }, /timings\.allInvocations\.cpuSeconds that is not a non-negative number/],
      [{ allInvocations: 3 }, /timings\.allInvocations that is not an object of invocation totals/],
      [{ invocationsByDataset: [] }, /timings\.invocationsByDataset that is not an object/],
      [{ invocationsByDataset: { fmnist: { invocations: 1 } } }, /timings\.invocationsByDataset\.fmnist\.wallSeconds/],
    ];
    for (const [value, message] of cases) {
      expect(() => checkRunTimings("r.json", value)).toThrow(CorruptFileError);
      expect(() => checkRunTimings("r.json", value)).toThrow(message);
    }
  });
});
