import { describe, expect, it } from "vitest";
import { cellStatistics, comparisonLegend, comparisonTable, competitionRanks, sameRankUpToTies, spreadTable, type ComparisonGroup } from "./model-comparison-table.js";

const format = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");
const options = { methods: ["R", "A", "B"], reference: "R", groupHeader: "ε", scale: 1, format, thisRun: "authors" as const };

/** The body rows of a markdown table, split into trimmed cells. */
function cells(table: string): string[][] {
  return table
    .split("\n")
    .slice(2)
    .map((line) => line.slice(2, -2).split(" | ").map((c) => c.trim()));
}

// Hand-computed: authors R = [1,2,3,6]: mean 3, sd √(14/3) = 2.1602, SE 1.0801.
// A = [2,4,4,6]: mean 4, sd √(8/3), SE 0.8165. R − A = [-1,-2,-1,0]: mean -1, sd √(2/3) = 0.8165, SE 0.4082 (|−1| ≥ 2 SE: separated).
// R − B = [-4,-3,-2,1]: mean -2, SE 1.0801 (|−2| < 2 SE: not separated).
// ours: R 3, A 5, B 4 at every point: SE 0, A and B ranked against the paper.
const group: ComparisonGroup = {
  label: "0.5",
  paper: { R: 1, A: 2, B: 3 },
  columns: {
    authors: { kind: "values", values: { R: [1, 2, 3, 6], A: [2, 4, 4, 6], B: [5, 5, 5, 5] } },
    ours: { kind: "values", values: { R: [3, 3, 3, 3], A: [5, 5, 5, 5], B: [4, 4, 4, 4] } },
  },
};

describe("comparison table", () => {
  it("cell statistics: mean and sd/√n with the unbiased sd, as computed by hand", () => {
    const s = cellStatistics([1, 2, 3, 6])!;
    expect(s.mean).toBe(3);
    expect(s.standardError).toBeCloseTo(Math.sqrt(14 / 3) / 2, 12);
    expect(cellStatistics([1, Number.NaN])).toBeUndefined();
    expect(cellStatistics([])).toBeUndefined();
    expect(Number.isNaN(cellStatistics([2])!.standardError)).toBe(true);
  });

  it("competition ranks: lowest first, ties share a rank and the next skips, non-finite values unranked", () => {
    expect(competitionRanks({ a: 2, b: 1, c: 2, d: 5, e: Number.NaN })).toEqual({ a: 2, b: 1, c: 2, d: 4 });
  });

  it("same rank up to ties: the places a method shares with its ties overlap on both sides", () => {
    const paper = { a: 1, b: 2, c: 2, d: 3 }; // places: a 1, b and c 2–3, d 4
    expect(sameRankUpToTies({ a: 1, b: 2, c: 3, d: 4 }, paper, "c")).toBe(true); // paper ties b, c: either order agrees
    expect(sameRankUpToTies({ a: 1, b: 3, c: 2, d: 4 }, paper, "b")).toBe(true);
    expect(sameRankUpToTies({ a: 2, b: 1, c: 3, d: 4 }, paper, "a")).toBe(false); // a is 2nd, the paper's 1st
    expect(sameRankUpToTies({ a: 5, b: 5, c: 5, d: 5 }, paper, "d")).toBe(true); // we tie all: places 1–4
    expect(sameRankUpToTies({ a: 1, b: 1, c: 3, d: 3 }, paper, "d")).toBe(true); // places 3–4 hold the paper's 4th
    expect(sameRankUpToTies({ a: 3, b: 3, c: 1, d: 1 }, paper, "d")).toBe(false); // places 1–2, the paper's 4th
    expect(sameRankUpToTies({ a: Number.NaN, b: 1, c: 2, d: 3 }, paper, "a")).toBeUndefined();
  });

  it("renders mean ± SE, rank agreement, ratio and the paired difference against the reference", () => {
    const rows = cells(comparisonTable([group], options));
    expect(rows).toEqual([
      ["0.5", "R", "1.000 #1", "3.000 ± 1.080 #1 ✓", "×3.0", "", "3.000 ± 0.000 #1 ✓", "×3.0", ""],
      ["", "A", "2.000 #2", "4.000 ± 0.816 #2 ✓", "×2.0", "**-1.000 ± 0.408**", "5.000 ± 0.000 #3 ✗", "×2.5", "**-2.000 ± 0.000**"],
      ["", "B", "3.000 #3", "5.000 ± 0.000 #3 ✓", "×1.7", "-2.000 ± 1.080", "4.000 ± 0.000 #2 ✗", "×1.3", "**-1.000 ± 0.000**"],
      ["", "ordering", "", "agrees", "", "", "1 pair reversed", "", ""],
    ]);
    const header = comparisonTable([group], options).split("\n")[0];
    expect(header).toBe("| ε | method | paper | authors' model (this run) | ×paper | R − method | our model | ×paper | R − method |");
  });

  it("an absent column says why in its first row and leaves the rest empty", () => {
    const absent: ComparisonGroup = { ...group, columns: { ...group.columns, ours: { kind: "absent", text: "not run" } } };
    const rows = cells(comparisonTable([absent], options));
    expect(rows.map((r) => r.slice(6))).toEqual([
      ["not run", "", ""],
      ["", "", ""],
      ["", "", ""],
      ["", "", ""],
    ]);
    expect(rows[1][5]).toBe("**-1.000 ± 0.408**"); // the present column is unchanged
  });

  it("a method missing from a run is a dash, and the others are ranked without it", () => {
    const partial: ComparisonGroup = { ...group, columns: { ...group.columns, authors: { kind: "values", values: { R: [1, 2, 3, 6], A: undefined, B: [5, 5, 5, 5] } } } };
    const rows = cells(comparisonTable([partial], options));
    expect(rows[1].slice(3, 6)).toEqual(["—", "", ""]);
    expect(rows[2][3]).toBe("5.000 ± 0.000 #2 ✗");
  });

  it("scales fractions to percentages before the ratio and the differences", () => {
    const attack: ComparisonGroup = {
      label: "1.25",
      paper: { R: 10, A: 20, B: Number.NaN },
      columns: {
        authors: { kind: "values", values: { R: [0, 0, 1, 0], A: [1, 0, 1, 1], B: [1, 1, 1, 1] } },
        ours: { kind: "absent", text: "not run" },
      },
    };
    const rows = cells(comparisonTable([attack], { ...options, scale: 100, format: (x) => x.toFixed(1) }));
    // R = [0,0,1,0]: 25 % ± 100·√(0.25)/2 = 25.0; R − A = [-1,0,0,-1]: -50 ± 100·√(1/3)/2 = 28.9 (not separated);
    // R − B = [-1,-1,0,-1]: -75 ± 100·√(0.25)/2 = 25.0 (separated); B is not in the paper: no ✓/✗, no ratio

    expect(rows[0].slice(2, 6)).toEqual(["10.0 #1", "25.0 ± 25.0 #1 ✓", "×2.5", ""]);
    expect(rows[1].slice(2, 6)).toEqual(["20.0 #2", "75.0 ± 25.0 #2 ✓", "×3.8", "-50.0 ± 28.9"]);
    expect(rows[2].slice(2, 6)).toEqual(["—", "100.0 ± 0.0 #3", "—", "**-75.0 ± 25.0**"]);
  });

  it("the legend names each column's source, this run marked", () => {
    const legend = comparisonLegend(options, "P_MSE", { authors: "preset full", ours: "not run; `pnpm reproduce x` fills this column" }).join("\n");
    expect(legend).toContain("- authors' model (this run): preset full");
    expect(legend).toContain("- our model: not run; `pnpm reproduce x` fills this column");
    expect(legend).toContain("R − method");
  });

  it("the spread table: the unbiased sd over points next to the paper's, with the ratio", () => {
    const absent: ComparisonGroup = { ...group, columns: { ...group.columns, ours: { kind: "absent", text: "not run" } } };
    const rows = cells(spreadTable([absent], options));
    // R = [1,2,3,6]: sd √(14/3) = 2.160; A = [2,4,4,6]: √(8/3) = 1.633; B constant: 0
    expect(rows).toEqual([
      ["0.5", "R", "1.000", "2.160", "×2.2", "not run", ""],
      ["", "A", "2.000", "1.633", "×0.82", "", ""],
      ["", "B", "3.000", "0.000", "×0.0", "", ""],
    ]);
  });
});
