import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { standardizeFeatures } from "./standardize-features.js";
import { loadTabularCsv } from "./tabular-csv.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tabular-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The layout of UCI's online_shoppers_intention.csv: numbers, a month, a visitor type, booleans.
const SHOPPING = [
  "Administrative,Administrative_Duration,ProductRelated,BounceRates,Month,VisitorType,Weekend,Revenue",
  "0,0.0,1,0.2,Feb,Returning_Visitor,FALSE,FALSE",
  "2,64.5,10,0.01,Mar,New_Visitor,TRUE,TRUE",
  '1,"12.25",3,0.05,Nov,Returning_Visitor,FALSE,FALSE',
  "4,?,7,0.0,Dec,Other,TRUE,TRUE",
  "3,30,2,1e-2,May,Returning_Visitor,FALSE,TRUE",
].join("\r\n");

describe("loadTabularCsv", () => {
  it("keeps numeric columns, drops categorical ones and rows with a missing value, maps the positive label", async () => {
    const file = join(dir, "shopping.csv");
    await writeFile(file, SHOPPING);
    const r = await loadTabularCsv(file, { label: "Revenue", positive: "TRUE" });
    expect(r.featureNames).toEqual(["Administrative", "Administrative_Duration", "ProductRelated", "BounceRates"]);
    expect(r.categoricalColumns).toEqual(["Month", "VisitorType", "Weekend"]);
    expect(r.droppedRows).toBe(1);
    expect(r.dataset.n).toBe(4);
    expect(Array.from(r.dataset.y)).toEqual([0, 1, 0, 1]);
    expect(r.dataset.classes).toEqual(["not TRUE", "TRUE"]);
    expect(Array.from(r.dataset.x.subarray(8, 12))).toEqual([1, 12.25, 3, Math.fround(0.05)]);
  });

  it("reads gzip, selects and excludes columns, sorts numeric labels", async () => {
    const file = join(dir, "bankruptcy.csv.gz");
    await writeFile(file, gzipSync("id,Attr1,Attr2,class\n7,0.5,1.5,1\n8,-0.5,2.5,0\n9,0.25,?,0\n"));
    const r = await loadTabularCsv(file, { label: "class", exclude: ["id"] });
    expect(r.featureNames).toEqual(["Attr1", "Attr2"]);
    expect(r.dataset.classes).toEqual(["0", "1"]);
    expect(Array.from(r.dataset.y)).toEqual([1, 0]);
    const chosen = await loadTabularCsv(file, { label: 3, features: ["Attr1"] });
    expect(chosen.dataset.n).toBe(3);
    expect(chosen.dataset.d).toBe(1);
  });

  it("names the file, line and column of bad input", async () => {
    const file = join(dir, "bad.csv");
    await writeFile(file, "a,b,y\n1,2,0\n3,4\n");
    await expect(loadTabularCsv(file, { label: "y" })).rejects.toThrow(/bad.csv: line 3 has 2 fields, expected 3/);
    await writeFile(file, "a,b,y\n1,x,0\n");
    await expect(loadTabularCsv(file, { label: "y", features: ["a", "b"] })).rejects.toThrow(/line 2, column 2 \("b"\) is "x", expected a number/);
    await expect(loadTabularCsv(file, { label: "z" })).rejects.toThrow(DatasetFormatError);
    await expect(loadTabularCsv(join(dir, "absent.csv"), { label: "y" })).rejects.toThrow(DatasetFileError);
    await expect(loadTabularCsv(file, { label: -1 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("standardizeFeatures", () => {
  it("fits mean and std on the reference and applies them", async () => {
    const file = join(dir, "std.csv");
    await writeFile(file, "a,b,y\n1,5,0\n3,5,1\n5,5,0\n");
    const { dataset } = await loadTabularCsv(file, { label: "y" });
    const { dataset: z, scaling } = standardizeFeatures(dataset);
    expect(Array.from(scaling.mean)).toEqual([3, 5]);
    expect(scaling.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(z.x[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 6);
    expect(z.x[1]).toBe(0); // constant column: centred only
    expect(Array.from(z.y)).toEqual(Array.from(dataset.y));
  });
});
