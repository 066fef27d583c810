import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CorruptFileError } from "./corrupt-file-error.js";
import { PMSE_METHODS, type PmseMethod } from "./paper-numbers/paper-layout.js";
import { rebuildReports } from "./report-command.js";
import { pmseFixtureConfig, pmseFixtureResults, writeFixtureRun } from "./report-fixtures.test-helper.js";
import { sha256 } from "./sealed-json.js";
import { UsageError } from "./usage-error.js";

const values = (scale: number) => Object.fromEntries(PMSE_METHODS.map((m, k) => [m, [1, 2, 3].map((i) => scale * (k + 1) * i * 1e-6)])) as Record<PmseMethod, number[]>;

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "report-command-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("report (rebuild report.md from results.json)", () => {
  it("rebuilds both models' reports, each with the other's column, and updates only report.md's checksum", async () => {
    const ours = await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    const authors = await writeFixtureRun(out, "pmse", "authors", pmseFixtureConfig(3), pmseFixtureResults(values(10)));
    const sumsBefore = await readFile(join(ours, "SHA256SUMS"), "utf8");
    const resultsBefore = await readFile(join(ours, "results.json"), "utf8");

    expect(await rebuildReports(out, ["pmse"])).toEqual([join(authors, "report.md"), join(ours, "report.md")]);

    for (const [directory, model] of [[ours, "our model"], [authors, "authors' model"]]) {
      const report = await readFile(join(directory, "report.md"), "utf8");
      expect(report).toMatch(/^# pmse\n/);
      expect(report).toContain("Numbers: `results.json`; this report was rebuilt from it by `pnpm reproduce report`");
      expect(report).not.toContain("Compute over every invocation"); // the fixture's results.json has no ledger totals
      expect(report).toContain("**Smoke test, not a reproduction.**");
      expect(report).toContain(`| ${model} (this run) |`);
      expect(report).not.toContain("not run");
      // SH+SG of our model: (1 + 2 + 3)/3 · 1e-6 = 2.0e-6 ± 5.8e-7; of the authors': 2.0e-5 ± 5.8e-6 — in both reports
      expect(report).toContain("| 2.0e-5 ± 5.8e-6 #1 ✓ |");
      expect(report).toContain("| 2.0e-6 ± 5.8e-7 #1 ✓ |");
      const sums = (await readFile(join(directory, "SHA256SUMS"), "utf8")).split("\n");
      expect(sums).toContain(`${sha256(report)}  report.md`);
      expect(sums).toContain(`${"0".repeat(64)}  figure.png`);
    }
    expect(await readFile(join(ours, "results.json"), "utf8")).toBe(resultsBefore);
    const after = await readFile(join(ours, "SHA256SUMS"), "utf8");
    expect(after.split("\n")[0]).toBe(sumsBefore.split("\n")[0]); // the results.json line
    expect(await readFile(join(authors, "report.md"), "utf8")).toContain("engine `onnx`, the paper authors' trained networks");
  });

  it("without names, rebuilds whichever of pmse and attack has runs; with a name that has none, refuses", async () => {
    await writeFixtureRun(out, "pmse", "authors", pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    expect(await rebuildReports(out, [])).toEqual([join(out, "pmse-authors", "report.md")]);
    await expect(rebuildReports(out, ["attack"])).rejects.toThrow(/no results of attack under .* \(neither attack\/ nor attack-authors\/ has a results.json or results.json.gz\)/);
  });

  it("refuses experiments whose reports it does not rebuild, and an empty output directory", async () => {
    await expect(rebuildReports(out, ["four-quadrant"])).rejects.toThrow(/the report of four-quadrant is written by its run only; report rebuilds pmse, attack/);
    await expect(rebuildReports(out, ["bogus"])).rejects.toThrow(UsageError);
    await expect(rebuildReports(out, [])).rejects.toThrow(/no results of pmse or attack under/);
    await expect(rebuildReports(join(out, "missing"), [])).rejects.toThrow(UsageError);
  });

  it("refuses a results.json that does not match SHA256SUMS, leaving report.md as it was", async () => {
    const directory = await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    const path = join(directory, "results.json");
    await writeFile(path, (await readFile(path, "utf8")).replace('"wallSeconds": 12.5', '"wallSeconds": 13.5'));
    await expect(rebuildReports(out, ["pmse"])).rejects.toThrow(CorruptFileError);
    expect(await readFile(join(directory, "report.md"), "utf8")).toBe("old report\n");
  });

  it("refuses a results.json whose timings are not of the runner's shape, even with a matching checksum", async () => {
    const directory = await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    const path = join(directory, "results.json");
    const before = await readFile(path, "utf8");
    const edited = before.replace('"wallSeconds": 12.5', '"wallSeconds": "12.5"');
    expect(edited).not.toBe(before);
    await writeFile(path, edited);
    const sums = await readFile(join(directory, "SHA256SUMS"), "utf8");
    await writeFile(join(directory, "SHA256SUMS"), sums.replace(sha256(before), sha256(edited)));
    await expect(rebuildReports(out, ["pmse"])).rejects.toThrow(/results\.json: has timings\.wallSeconds that is not a non-negative number/);
    expect(await readFile(join(directory, "report.md"), "utf8")).toBe("old report\n");
  });

  it("reads a gzip-compressed results.json.gz checked against its own SHA256SUMS line, as published copies keep it", async () => {
    const directory = await writeFixtureRun(out, "pmse", "authors", pmseFixtureConfig(3), pmseFixtureResults(values(10)));
    const compressed = await compressResults(directory);
    const [path] = await rebuildReports(out, ["pmse"]);
    expect(await readFile(path, "utf8")).toContain("| 2.0e-5 ± 5.8e-6 #1 ✓ |");
    expect(await readFile(path, "utf8")).toContain("Numbers: `results.json.gz`; this report was rebuilt from it");
    expect(await readFile(join(directory, "SHA256SUMS"), "utf8")).toContain(`${sha256(compressed)}  results.json.gz`);
  });

  it("refuses a results.json.gz whose bytes do not match SHA256SUMS, or that does not decompress", async () => {
    const directory = await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    const compressed = await compressResults(directory);
    await writeFile(join(directory, "results.json.gz"), Buffer.concat([compressed, Buffer.from([0])]));
    await expect(rebuildReports(out, ["pmse"])).rejects.toThrow(/results\.json\.gz: does not match its line in SHA256SUMS/);
    const garbage = Buffer.from("not gzip at all");
    await writeFile(join(directory, "results.json.gz"), garbage);
    const sums = await readFile(join(directory, "SHA256SUMS"), "utf8");
    await writeFile(join(directory, "SHA256SUMS"), sums.replace(sha256(compressed), sha256(garbage)));
    await expect(rebuildReports(out, ["pmse"])).rejects.toThrow(/results\.json\.gz: does not decompress/);
    expect(await readFile(join(directory, "report.md"), "utf8")).toBe("old report\n");
  });

  it("the CLI: `report pmse --out` rebuilds; other flags are refused with exit code 2", async () => {
    await writeFixtureRun(out, "pmse", undefined, pmseFixtureConfig(3), pmseFixtureResults(values(1)));
    const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ["--import", "tsx", cli, "report", "pmse", "--out", out], { timeout: 60_000 });
    expect(stdout).toBe(`report: ${join(out, "pmse", "report.md")}\n`);
    const refused = await run(process.execPath, ["--import", "tsx", cli, "report", "pmse", "--full", "--out", out], { timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain("report rebuilds reports from results.json and takes only --out; remove --full");
  }, 120_000);
});

/** Replace a fixture run's results.json by results.json.gz, as `published-run.sh` keeps it, with its SHA256SUMS line. */
async function compressResults(directory: string): Promise<Buffer> {
  const compressed = gzipSync(await readFile(join(directory, "results.json")), { level: 9 });
  await writeFile(join(directory, "results.json.gz"), compressed);
  await unlink(join(directory, "results.json"));
  const sums = (await readFile(join(directory, "SHA256SUMS"), "utf8")).replace(/^[0-9a-f]{64} {2}results\.json$/m, `${sha256(compressed)}  results.json.gz`);
  await writeFile(join(directory, "SHA256SUMS"), sums);
  return compressed;
}
