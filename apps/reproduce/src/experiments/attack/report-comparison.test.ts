import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttackMethod } from "../../paper-numbers/paper-layout.js";
import { attackFixtureConfig, attackFixtureResults, writeFixtureRun } from "../../report-fixtures.test-helper.js";
import { attackRunReport } from "./report.js";

/** Class kept (1) or flipped (0) at 4 points, [ε = 0.25, ε = 1.25]: everything survives ε = 0.25; at 1.25 SH+SG flips 3 of 4. */
const at125: Record<AttackMethod, number[]> = {
  "SH+SG": [0, 0, 0, 1],
  SG: [0, 1, 0, 1],
  "SP (H+G)": [0, 1, 1, 1],
  "SP G": [1, 1, 1, 1],
  "H+G": [1, 1, 1, 1],
  G: [1, 1, 1, 1],
  Random: [1, 1, 1, 1],
};
const unchanged = Object.fromEntries(Object.entries(at125).map(([m, v]) => [m, v.map((k) => [1, k])])) as Record<AttackMethod, number[][]>;

/** The row of `method` in the ε = 1.25 group of the first table, as trimmed cells. */
function rowAt125(report: string, method: string): string[] {
  const lines = report.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| 1.25 |"));
  const line = lines.slice(start).find((l) => l.split(" | ")[1]?.trim() === method);
  if (start < 0 || !line) throw new Error(`no row ${method} at ε = 1.25`);
  return line.slice(2, -2).split(" | ").map((c) => c.trim());
}

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "attack-report-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("attack report: paper | authors' model | our model", () => {
  it("post-hoc accuracy in % ± SE over points, paired differences in points, ranks against Table 8", async () => {
    const report = await attackRunReport(attackFixtureConfig(4), attackFixtureResults(unchanged), { out, model: "authors" });
    // By hand, 4 points: SH+SG [0,0,0,1] = 25 % ± 100·√(1/4)/2 = 25.0; Table 8 MNIST ε = 1.25: 10.5 → ×2.4.
    expect(rowAt125(report, "SH+SG").slice(2, 6)).toEqual(["10.5 #1", "25.0 ± 25.0 #1 ✓", "×2.4", ""]);
    // SG [0,1,0,1]: 50 % ± 100·√(1/3)/2 = 28.9; SH+SG − SG = [0,−1,0,0]: −25 ± 25 (not separated).
    expect(rowAt125(report, "SG").slice(2, 6)).toEqual(["11.3 #2", "50.0 ± 28.9 #2 ✓", "×4.4", "-25.0 ± 25.0"]);
    // SP (H+G) [0,1,1,1]: SH+SG − it = [0,−1,−1,0]: −50 ± 28.9 (0.5 < 2·0.289: not separated).
    expect(rowAt125(report, "SP (H+G)")[5]).toBe("-50.0 ± 28.9");
    // SP G never flips: SH+SG − it = [−1,−1,−1,0]: −75 ± 25 (separated); it shares rank 4 with H+G, G, Random.
    expect(rowAt125(report, "SP G").slice(2, 6)).toEqual(["16.3 #4", "100.0 ± 0.0 #4 ✓", "×6.1", "**-75.0 ± 25.0**"]);
    // tied at places 4–7, which holds the paper's 6th (H+G) and 7th (Random): no disagreement up to ties
    expect(rowAt125(report, "H+G")[3]).toBe("100.0 ± 0.0 #4 ✓");
    expect(rowAt125(report, "Random")[3]).toBe("100.0 ± 0.0 #4 ✓");
    // The paper orders SP G < G < H+G < Random; we tie all four: 6 ties, no reversal.
    expect(rowAt125(report, "ordering")[3]).toBe("agrees up to 6 ties");
    expect(rowAt125(report, "SH+SG")[6]).toBe("not run");
    expect(report).toContain(`- our model: not run; \`pnpm reproduce attack --quick --points 4 --out ${out}\` fills this column`);
    expect(report).toContain("| ε | method | paper | authors' model (this run) | ×paper | SH+SG − method | our model | ×paper | SH+SG − method |");
  });

  it("shows the sibling run's column from its checked results.json", async () => {
    const flipped = Object.fromEntries(Object.entries(unchanged).map(([m, v]) => [m, v.map((p) => [p[0], 1 - p[1]])])) as Record<AttackMethod, number[][]>;
    await writeFixtureRun(out, "attack", "ours", attackFixtureConfig(4), attackFixtureResults(flipped));
    const report = await attackRunReport(attackFixtureConfig(4), attackFixtureResults(unchanged), { out, model: "authors" });
    // ours: SH+SG keeps 3 of 4 (75 %), the four never-flipping methods of the authors' run now always flip (0 %)
    expect(rowAt125(report, "SH+SG")[6]).toBe("75.0 ± 25.0 #7 ✗");
    expect(rowAt125(report, "G").slice(6, 9)).toEqual(["0.0 ± 0.0 #1 ✗", "×0.0", "**75.0 ± 25.0**"]);
    expect(report).toContain("- our model: preset quick — a smoke test, not a reproduction, 4 test points, 2,000 gradient samples, engine onnx");
  });

  it("names no measured cause for a real reversal on the authors' checkpoint at the paper's scale", async () => {
    // 16 points at ε = 1.25: SG flips all of them, SH+SG only 2 (the paper: SH+SG 10.5 < SG 11.3), SE > 0.
    const n = 16;
    const kept: Record<AttackMethod, number[]> = {
      "SH+SG": Array.from({ length: n }, (_, i) => (i < 2 ? 0 : 1)),
      SG: Array(n).fill(0),
      "SP (H+G)": Array(n).fill(1),
      "SP G": Array(n).fill(1),
      "H+G": Array(n).fill(1),
      G: Array(n).fill(1),
      Random: Array(n).fill(1),
    };
    const results = attackFixtureResults(Object.fromEntries(Object.entries(kept).map(([m, v]) => [m, v.map((k) => [1, k])])) as Record<AttackMethod, number[][]>);
    const full = { ...results, datasets: results.datasets.map((d) => ({ ...d, validationRows: Array.from({ length: 200 }, (_, i) => i) })) };
    const row = (model: "authors" | "ours") =>
      attackRunReport({ ...attackFixtureConfig(n), samples: 100_000, model }, full, { out, model }).then((report) =>
        report.split("\n").find((l) => l.startsWith("| MNIST, ε = 1.25 | SH+SG | SG |")),
      );
    // SH+SG − SG: 14 of 16 points are +1 → 87.5 ± 8.5 points, a real reversal
    expect(await row("authors")).toBe(
      "| MNIST, ε = 1.25 | SH+SG | SG | 87.5 ± 8.5 pts | real reversal | not measured: the authors' checkpoint, 100,000 gradient samples and 200 validation points (paper: 100,000 and 200); the Monte-Carlo draws, the test points drawn and the attack's solver still differ |",
    );
    expect(await row("ours")).toMatch(/\| real reversal \| our model differs from the paper's \(embedded data, our training run\) \|$/);
  });
});
