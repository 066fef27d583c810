import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { loadSpirometryCsv } from "./spirometry-csv.js";
import { syntheticSpirometry } from "./synthetic-spirometry.js";
import { tempDir, writeBytes } from "./temp-dir.test-helper.js";

const dir = await tempDir();

async function csv(name: string, text: string, gzip = false): Promise<string> {
  return writeBytes(dir, name, new TextEncoder().encode(text), gzip);
}

describe("loadSpirometryCsv", () => {
  const { dataset, truth } = syntheticSpirometry({ n: 30, seed: 2 });
  const header = ["eid", "fev1", ...Array.from({ length: 300 }, (_, i) => `v${i}`)];
  const lines = truth.map((t, r) => [`${1000 + r}`, `${t.fev1}`, ...Array.from(dataset.x.subarray(r * 300, (r + 1) * 300), String)]);

  it("round-trips curves with a header, a label column and an ignored id column, gzipped or not", async () => {
    const text = [header, ...lines].map((l) => l.join(",")).join("\r\n") + "\r\n\r\n";
    for (const gzip of [false, true]) {
      const file = await csv(gzip ? "blows.csv.gz" : "blows.csv", text, gzip);
      const ds = await loadSpirometryCsv(file, { label: "fev1", ignore: ["eid"] });
      expect([ds.n, ds.d]).toEqual([30, 300]);
      expect(ds.shape).toEqual([300, 1]);
      expect(Buffer.from(ds.x.buffer).equals(Buffer.from(dataset.x.buffer))).toBe(true);
      truth.forEach((t, r) => expect(ds.y[r]).toBe(Math.fround(t.fev1)));
    }
  });

  it("computes FEV₁ from each curve when there is no label column", async () => {
    const text = lines.map((l) => l.slice(2).join(";")).join("\n");
    const file = await csv("no-header.csv", text);
    const ds = await loadSpirometryCsv(file, { delimiter: ";" });
    expect(ds.n).toBe(30);
    for (let r = 0; r < 30; r++) expect(ds.y[r]).toBe(dataset.x[r * 300 + 20]);
    const coarse = await csv("coarse.csv", "0,1,2,3\n0,2,3,3\n");
    const at = await loadSpirometryCsv(coarse, { interval: 0.4 });
    expect(Array.from(at.y)).toEqual([2.5, 3]);
  });

  it("reads quoted fields, column numbers and a forced header", async () => {
    const file = await csv("quoted.csv", '"id","a","b","c"\n"7","0.5","1","1.5"\n8,0.25,0.75,1.25\n');
    const ds = await loadSpirometryCsv(file, { ignore: [0], label: 3 });
    expect(Array.from(ds.x)).toEqual([0.5, 1, 0.25, 0.75]);
    expect(Array.from(ds.y)).toEqual([1.5, 1.25]);
    const numericHeader = await csv("numeric-header.csv", "1,2,3\n0,1,2\n");
    expect((await loadSpirometryCsv(numericHeader, { header: true, label: "3" })).n).toBe(1);
  });

  it("names the file, line and column of a non-numeric field", async () => {
    const bad = [header, ...lines.slice(0, 3)].map((l) => l.join(","));
    bad[2] = bad[2].replace(/,v?[^,]*$/, ",abc");
    const file = await csv("non-numeric.csv", bad.join("\n"));
    const error = await loadSpirometryCsv(file, { label: "fev1", ignore: ["eid"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).file).toBe(file);
    expect((error as Error).message).toBe(`${file}: line 3, column 302 ("v299") is "abc", expected a number`);
    const empty = await csv("empty-field.csv", "0,1,2\n0,,2\n");
    await expect(loadSpirometryCsv(empty)).rejects.toThrowError(`${empty}: line 2, column 2 is empty, expected a number`);
    const nan = await csv("nan.csv", "0,1,2\n0,NaN,2\n");
    await expect(loadSpirometryCsv(nan)).rejects.toThrowError(`${nan}: line 2, column 2 is "NaN", expected a number`);
    const huge = await csv("huge.csv", "0,1,2\n0,1e999,2\n");
    await expect(loadSpirometryCsv(huge)).rejects.toThrowError(`${huge}: line 2, column 2 is 1e999, outside the float range`);
  });

  it("rejects ragged lines, mixed first lines, unknown columns and files without data", async () => {
    const ragged = await csv("ragged.csv", "0,1,2\n0,1\n");
    await expect(loadSpirometryCsv(ragged)).rejects.toThrowError(`${ragged}: line 2 has 2 fields, expected 3 like the first line`);
    const mixed = await csv("mixed.csv", "id,1,2\n0,1,2\n");
    await expect(loadSpirometryCsv(mixed)).rejects.toThrowError(
      `${mixed}: line 1 mixes numbers and text (column 1 is "id"): not a header and not a data line (pass options.header to decide)`,
    );
    const named = await csv("named.csv", "a,b,c\n0,1,2\n");
    await expect(loadSpirometryCsv(named, { label: "fev1" })).rejects.toThrowError(
      `${named}: has no label column "fev1" (its header has "a", "b", "c")`,
    );
    await expect(loadSpirometryCsv(named, { ignore: [5] })).rejects.toThrowError(
      `${named}: has 3 columns on line 1, so ignored column 5 does not exist`,
    );
    const headerOnly = await csv("header-only.csv", "a,b,c\n");
    await expect(loadSpirometryCsv(headerOnly)).rejects.toThrowError(`${headerOnly}: has no data lines`);
    const short = await csv("short.csv", "0,1,2\n");
    await expect(loadSpirometryCsv(short)).rejects.toThrowError(
      `${short}: has curves of 3 samples, which at 0.05 s do not reach 1 s: FEV₁ cannot be computed (pass options.label)`,
    );
    await expect(loadSpirometryCsv(join(dir, "missing.csv"))).rejects.toThrowError(DatasetFileError);
    await expect(loadSpirometryCsv(named, { delimiter: ",," })).rejects.toThrowError(
      'options.delimiter: expected one character other than a quote or a newline, received ",,"',
    );
  });

  it("handles a multibyte character split across stream chunks in a header", async () => {
    const name = "ü".repeat(700_000); // 1.4 MB of two-byte characters: crosses the 1 MiB chunk boundary
    const file = join(dir, "wide.csv");
    await writeFile(file, `id,${name},x\n1,2,3\n`);
    const ds = await loadSpirometryCsv(file, { label: name, interval: 1 });
    expect(Array.from(ds.x)).toEqual([1, 3]);
    expect(Array.from(ds.y)).toEqual([2]);
  });
});
