import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DatasetFormatError } from "./dataset-file-error.js";
import { type JsonEvents, JsonScanner } from "./json-scanner.js";

/** Rebuild the document from the scanner's events (numbers, strings as placeholders, literals). */
function rebuild(bytes: Uint8Array, chunkSizes: number[] = [bytes.length]): unknown {
  const stack: unknown[][] | Record<string, unknown>[] = [];
  const keys: (string | undefined)[] = [];
  let root: unknown;
  const put = (value: unknown) => {
    if (stack.length === 0) {
      root = value;
      return;
    }
    const top = stack[stack.length - 1];
    if (Array.isArray(top)) top.push(value);
    else Object.defineProperty(top, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  };
  const events: JsonEvents = {
    open(kind) {
      const container = kind === "array" ? [] : {};
      put(container);
      (stack as unknown[]).push(container);
      keys.push(undefined);
    },
    close() {
      stack.pop();
      keys.pop();
    },
    key(name) {
      keys[keys.length - 1] = name;
    },
    number(value) {
      put(value);
    },
    scalar(kind) {
      put(kind === "string" ? "<string>" : JSON.parse(kind));
    },
  };
  const scanner = new JsonScanner("doc.json", events);
  let at = 0;
  for (const size of chunkSizes) {
    scanner.write(bytes.subarray(at, at + size));
    at += size;
  }
  scanner.write(bytes.subarray(at));
  scanner.end();
  return root;
}

const replaceStrings = (v: unknown): unknown =>
  typeof v === "string" ? "<string>" : Array.isArray(v) ? v.map(replaceStrings) : v && typeof v === "object"
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceStrings(x)]))
    : v;

describe("JsonScanner", () => {
  it("agrees with JSON.parse on arbitrary JSON, however the bytes are chunked", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 40 }), (value, sizes) => {
        const text = JSON.stringify(value, null, sizes.length % 3 === 0 ? 0 : 1);
        const bytes = new TextEncoder().encode(text);
        expect(rebuild(bytes, sizes)).toEqual(replaceStrings(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it("converts numbers exactly as JSON.parse does", () => {
    const texts = ["0", "-0", "0.992", "1e3", "-2.5E-3", "123456789012345", "1234567890123456789", "0.000001", "1.7976931348623157e308", "5e-324", "0.1234567890123456789", "10000000000000000000000000"];
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        texts.push(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
    for (const t of texts) {
      const got = rebuild(new TextEncoder().encode(`[${t}]`)) as number[];
      expect(Object.is(got[0], JSON.parse(t))).toBe(true);
    }
  });

  it("reads the real embedded files exactly as JSON.parse does", async () => {
    const require = createRequire(import.meta.url);
    for (const [pkg, file] of [["mnist", "digits/5.json"], ["fashion-mnist", "clothes/0.json"]]) {
      const path = join(dirname(require.resolve(pkg)), file);
      const bytes = await readFile(path);
      const mine = rebuild(bytes, [65_536, 1, 3, 1_000_000]) as { data: unknown[] };
      const reference = JSON.parse(bytes.toString("utf8")) as { data: unknown[] };
      expect(mine.data.length).toBe(reference.data.length);
      // compare as one string: fast and exact for numbers (shortest round-trip formatting)
      expect(JSON.stringify(mine.data) === JSON.stringify(reference.data)).toBe(true);
    }
  });

  it("rejects what JSON.parse rejects, naming the file and the byte", () => {
    const bad = ["[1,]", "[1 2]", "{\"a\" 1}", "[01]", "[1.]", "[-]", "[.5]", "[1e]", "[+1]", "[1]]", "[1] 2", "", "[", "{\"a\":}", "[tru]", "[1,,2]", "{,}", "[\"abc]"];
    for (const text of bad) {
      expect(() => JSON.parse(text)).toThrow();
      let error: unknown;
      try {
        rebuild(new TextEncoder().encode(text));
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(DatasetFormatError);
      expect((error as DatasetFormatError).file).toBe("doc.json");
    }
    expect(() => rebuild(new TextEncoder().encode("[1, 2, x]"))).toThrowError('doc.json: has an unknown word "x" before byte 8');
    expect(() => rebuild(new TextEncoder().encode("[1, 2, #]"))).toThrowError('doc.json: is not valid JSON: "#" at byte 7, expected a value');
    expect(() => rebuild(new TextEncoder().encode("[[1, 2]"))).toThrowError("doc.json: ends with 1 unclosed array(s)/object(s)");
  });
});
