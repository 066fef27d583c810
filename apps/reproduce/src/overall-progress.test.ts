import { describe, expect, it } from "vitest";
import { OverallProgress, duration } from "./overall-progress.js";

describe("OverallProgress", () => {
  it("prints one line per experiment with an ETA weighted by the experiments' relative costs, and a last line", () => {
    const lines: string[] = [];
    let clock = 0;
    const overall = new OverallProgress(["four-quadrant", "nested", "pmse"], (line) => lines.push(line), () => clock);
    overall.starting("four-quadrant");
    clock = 118_000; // twice four-quadrant's weight (59 s): the rest (nested 50 + pmse 142) is projected at twice too
    overall.finish();
    overall.starting("nested");
    overall.finish();
    overall.starting("pmse");
    overall.finish();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^all: 0\/3 experiments done, 0 s elapsed, ETA after the first experiment; now four-quadrant$/);
    expect(lines[1]).toBe("all: 1/3 experiments done, 1 min 58 s elapsed, ETA 6 min 24 s; now nested");
    expect(lines[3]).toBe("all: 3/3 experiments done in 1 min 58 s");
  });

  it("formats durations", () => {
    expect(duration(42.4)).toBe("42 s");
    expect(duration(187)).toBe("3 min 07 s");
    expect(duration(3725)).toBe("1 h 02 min");
  });
});
