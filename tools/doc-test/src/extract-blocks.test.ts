import { describe, expect, it } from "vitest";
import { extractBlocks } from "./extract-blocks.js";

const fence = "```";

describe("extractBlocks", () => {
  it("takes ts and js blocks with their fence line and leaves other languages alone", () => {
    const md = ["# t", `${fence}sh`, "pnpm add x", fence, `${fence}ts`, "const a = 1;", fence, `${fence}js`, "console.log(2)", fence].join("\n");
    const blocks = extractBlocks("README.md", md);
    expect(blocks.map((b) => [b.language, b.fenceLine, b.code, b.mode])).toEqual([
      ["ts", 5, "const a = 1;\n", "run"],
      ["js", 8, "console.log(2)\n", "run"],
    ]);
  });

  it("strips the indentation of a fence inside a list item", () => {
    const md = ["- item", `  ${fence}ts`, "  const a = 1;", "    const b = 2;", `  ${fence}`].join("\n");
    expect(extractBlocks("R.md", md)[0]!.code).toBe("const a = 1;\n  const b = 2;\n");
  });

  it("applies a marker with its reason to the next block only", () => {
    const md = ["<!-- doc-test: no-run — needs the user's own files -->", `${fence}ts`, "a()", fence, `${fence}ts`, "b()", fence].join("\n");
    const [first, second] = extractBlocks("R.md", md);
    expect([first!.mode, first!.reason, second!.mode]).toEqual(["no-run", "needs the user's own files", "run"]);
  });

  it("refuses a marker without a reason, with an unknown mode, before prose or before a shell block", () => {
    expect(() => extractBlocks("R.md", `<!-- doc-test: skip -->\n${fence}ts\na()\n${fence}`)).toThrow(/R\.md:1: .*needs a reason/);
    expect(() => extractBlocks("R.md", `<!-- doc-test: ignore — a long enough reason -->\n${fence}ts\na()\n${fence}`)).toThrow(/"ignore"/);
    expect(() => extractBlocks("R.md", `<!-- doc-test: skip — a long enough reason -->\ntext\n${fence}ts\na()\n${fence}`)).toThrow(/not followed/);
    expect(() => extractBlocks("R.md", `<!-- doc-test: skip — a long enough reason -->\n${fence}sh\nls\n${fence}`)).toThrow(/never run/);
  });

  it("refuses an unclosed fence, naming its line", () => {
    expect(() => extractBlocks("R.md", `text\n${fence}ts\na()`)).toThrow(/R\.md:2: code fence never closed/);
  });
});
