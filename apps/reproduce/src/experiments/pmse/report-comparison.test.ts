import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scientific } from "../../markdown-table.js";
import { PMSE_METHODS, type PmseMethod } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_5 } from "../../paper-numbers/table-5.js";
import { PAPER_TABLE_6 } from "../../paper-numbers/table-6.js";
import { pmseFixtureConfig, pmseFixtureResults, writeFixtureRun } from "../../report-fixtures.test-helper.js";
import type { PmseResults } from "./compute.js";
import type { PmseConfig } from "./config.js";
import { pmseRunReport } from "./report.js";

const jitter = [0.9, 1.0, 1.1, 1.0];
const paper = PAPER_TABLE_5.mnist.logit;
/** The authors' model: the paper's ε = 0.25 numbers times the jitter (ranks as the paper's). */
const authorsValues = Object.fromEntries(PMSE_METHODS.map((m) => [m, jitter.map((j) => paper[m][0] * j)])) as Record<PmseMethod, number[]>;
/** Our model: twice the paper's, SH+SG three times: SH+SG falls behind SP (H+G), one reversed pair. */
const oursValues = Object.fromEntries(PMSE_METHODS.map((m) => [m, jitter.map((j) => paper[m][0] * j * (m === "SH+SG" ? 3 : 2))])) as Record<PmseMethod, number[]>;

// By hand: the jitter's mean is 1 and its unbiased sd √(0.02/3), so the SE of c·jitter over 4 points is c·√(0.02/3)/2.
const se = (c: number) => (c * Math.sqrt(0.02 / 3)) / 2;
const cell = (c: number, rank: string) => `${scientific(c)} ± ${scientific(se(c))} ${rank}`;

/** The row of `method` in the first comparison table, as trimmed cells. */
function row(report: string, method: string): string[] {
  const line = report.split("\n").find((l) => l.startsWith("| ") && l.split(" | ")[1]?.trim() === method);
  if (!line) throw new Error(`no row ${method}`);
  return line.slice(2, -2).split(" | ").map((c) => c.trim());
}

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "pmse-report-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("pmse report: paper | authors' model | our model", () => {
  it("with the sibling present: both columns with SE, ratio, rank agreement and paired differences against SH+SG", async () => {
    await writeFixtureRun(out, "pmse", "authors", pmseFixtureConfig(4), pmseFixtureResults(authorsValues));
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(report).toContain("| ε | method | paper | authors' model | ×paper | SH+SG − method | our model (this run) | ×paper | SH+SG − method |");
    const sh = row(report, "SH+SG");
    expect(sh).toEqual(["0.25", "SH+SG", `${scientific(paper["SH+SG"][0])} #1`, cell(paper["SH+SG"][0], "#1 ✓"), "×1.0", "", cell(3 * paper["SH+SG"][0], "#2 ✗"), "×3.0", ""]);
    const sp = row(report, "SP (H+G)");
    // SH+SG − SP (H+G) at each point: (a − b)·jitter, mean (a − b), SE |a − b|·√(0.02/3)/2
    const authorsGap = paper["SH+SG"][0] - paper["SP (H+G)"][0];
    const oursGap = 3 * paper["SH+SG"][0] - 2 * paper["SP (H+G)"][0];
    expect(sp[5]).toBe(`**${scientific(authorsGap)} ± ${scientific(se(-authorsGap))}**`);
    expect(sp[6]).toBe(cell(2 * paper["SP (H+G)"][0], "#1 ✗"));
    expect(sp[8]).toBe(`**${scientific(oursGap)} ± ${scientific(se(oursGap))}**`);
    expect(authorsGap).toBeLessThan(0); // SH+SG better on the authors' model,
    expect(oursGap).toBeGreaterThan(0); // worse on ours
    expect(row(report, "ordering")).toEqual(["", "ordering", "", "agrees", "", "", "1 pair reversed", "", ""]);
    expect(report).toContain("- authors' model: preset quick — a smoke test, not a reproduction, 4 test points");
    expect(report).toContain(`${join(out, "pmse-authors")}/results.json\`, checked against its SHA256SUMS`);
    expect(report).toContain("engine onnx");
  });

  it("a results.json without `model` is our model's: the authors' run shows it as its sibling", async () => {
    await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(4), pmseFixtureResults(oursValues));
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(authorsValues), { out, model: "authors" });
    expect(report).toContain("| authors' model (this run) |");
    expect(row(report, "SH+SG")[6]).toBe(cell(3 * paper["SH+SG"][0], "#2 ✗"));
    // the G column on the authors' model names its measured cause, with paper ÷ ours (here 1, the fixture's jitter mean)
    expect(report).toContain("The paper's G is 1.0–1.0× ours on the authors' own model. Measured cause (apps/reproduce/investigations/g-column/FINDINGS.md)");
  });

  it("a run on our model does not carry the authors'-model G note", async () => {
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(report).not.toContain("on the authors' own model. Measured cause");
  });

  it("with the sibling absent: its column says not run, and the legend gives the command that fills it", async () => {
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    const sh = row(report, "SH+SG");
    expect(sh.slice(3, 6)).toEqual(["not run", "", ""]);
    expect(sh[6]).toBe(cell(3 * paper["SH+SG"][0], "#2 ✗"));
    // the fixture has 4 test points where the quick preset has 6: the command reproduces that
    expect(report).toContain(`- authors' model: not run; \`pnpm reproduce pmse --model authors --quick --points 4 --out ${out}\` fills this column`);
  });

  it("a report of one dataset of the configuration (a --dataset run): the fill command selects that dataset too", async () => {
    const config = { ...pmseFixtureConfig(4), datasets: ["mnist", "fmnist"] as PmseConfig["datasets"] };
    const report = await pmseRunReport(config, pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(report).toContain(`- authors' model: not run; \`pnpm reproduce pmse --model authors --quick --points 4 --dataset mnist --out ${out}\` fills this column`);
  });

  it("a sibling whose results.json no longer matches SHA256SUMS is not shown, and the report says why", async () => {
    const directory = await writeFixtureRun(out, "pmse", "authors", pmseFixtureConfig(4), pmseFixtureResults(authorsValues));
    const path = join(directory, "results.json");
    await writeFile(path, (await readFile(path, "utf8")).replace('"predictedClass": 3', '"predictedClass": 4'));
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(row(report, "SH+SG")[3]).toBe("unreadable");
    expect(report).toContain(`- authors' model: not shown: ${path}: does not match its line in SHA256SUMS`);
  });

  it("a sibling folder holding the other model's results is refused", async () => {
    const directory = await writeFixtureRun(out, "pmse", "ours", pmseFixtureConfig(4), pmseFixtureResults(authorsValues));
    await rm(join(out, "pmse-authors"), { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.rename(directory, join(out, "pmse-authors")));
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(report).toContain('holds model "ours", expected "authors" in this folder');
  });

  it("gives Table 6 (spread over test points) under every sampling law, each next to the paper's", async () => {
    // The fixture's law, and the authors' law with every P_MSE doubled: twice the spread.
    const config = { ...pmseFixtureConfig(4), samplings: ["uniform-ball", "uniform-radius"] as PmseConfig["samplings"] };
    const base = pmseFixtureResults(authorsValues);
    const doubled = (law: Readonly<Record<string, readonly number[]>>) => Object.fromEntries(Object.entries(law).map(([m, v]) => [m, v.map((x) => 2 * x)]));
    const t = base.datasets[0].targets[0];
    const target = {
      ...t,
      summary: { ...t.summary, "uniform-radius": Object.fromEntries(Object.entries(t.summary["uniform-ball"]).map(([m, s]) => [m, { mean: s.mean.map((x) => 2 * x), std: s.std.map((x) => 2 * x) }])) },
      noise: { ...t.noise, "uniform-radius": t.noise["uniform-ball"] },
      points: t.points.map((p) => ({ ...p, pmse: { ...p.pmse, "uniform-radius": doubled(p.pmse["uniform-ball"]) }, noise: { ...p.noise, "uniform-radius": p.noise["uniform-ball"] } })),
    };
    // the doubled laws are built from string-keyed entries: their method keys are those of the fixture
    const results = { datasets: [{ ...base.datasets[0], targets: [target] }] } as unknown as PmseResults;
    const report = await pmseRunReport(config, results, { out, model: "authors" });
    const sections = report.split("\n## ").filter((s) => s.startsWith("Table 6:"));
    expect(sections.map((s) => s.split("\n")[0])).toEqual([
      "Table 6: standard deviation of P_MSE over test points, points uniform in the ball (Eq. 11)",
      "Table 6: standard deviation of P_MSE over test points, radius uniform in [0, ε] (the authors' code)",
    ]);
    const shRow = (section: string) => row(section.slice(section.indexOf("| ε |")), "SH+SG");
    const sd = Math.sqrt(0.02 / 3) * paper["SH+SG"][0]; // the jitter's unbiased sd times the value
    expect(shRow(sections[0])[3]).toBe(scientific(sd));
    expect(shRow(sections[1])[3]).toBe(scientific(2 * sd));
    expect(shRow(sections[1])[2]).toBe(scientific(PAPER_TABLE_6.mnist.logit["SH+SG"][0]));
  });

  it("a sibling without the cell's dataset or ε says so in that column", async () => {
    await writeFixtureRun(out, "pmse", "authors", { ...pmseFixtureConfig(4), radii: [0.5] }, pmseFixtureResults(authorsValues));
    const report = await pmseRunReport(pmseFixtureConfig(4), pmseFixtureResults(oursValues), { out, model: "ours" });
    expect(row(report, "SH+SG")[3]).toBe("not in that run");
  });
});
