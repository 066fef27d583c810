import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderChart } from "./plot.js";

describe("renderChart", () => {
  it("writes an SVG with the axis titles and a PNG", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smoothhess-plot-"));
    try {
      const files = await renderChart(
        {
          data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
          mark: "line",
          encoding: { x: { field: "x", type: "quantitative", title: "sigma squared" }, y: { field: "y", type: "quantitative", title: "H12" } },
        },
        join(dir, "chart"),
      );
      const svg = await readFile(files.svg, "utf8");
      expect(svg).toContain("<svg");
      expect(svg).toContain("sigma squared");
      const png = await readFile(files.png);
      expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
