/**
 * Code blocks of a Markdown file: every fenced block whose language is TypeScript or JavaScript, with the line it
 * starts on and the doc-test marker written before it.
 */

/** Languages whose blocks are type-checked and run. Any other fence (sh, python, none) is prose for the doc test. */
const TYPESCRIPT = new Set(["ts", "typescript", "mts", "tsx"]);
const JAVASCRIPT = new Set(["js", "javascript", "mjs"]);

/**
 * What the doc test does with a block: `run` (type-check, then run; the default), `no-run` (type-check only) or
 * `skip` (neither). A block gets `no-run` or `skip` only from an HTML comment on the line(s) before its fence,
 * `<!-- doc-test: no-run — why -->`, and the reason is required, so that every exception says why it is one.
 */
export type BlockMode = "run" | "no-run" | "skip";

/** One code block of a README. */
export interface CodeBlock {
  /** The README, relative to the repository root (posix separators). */
  readonly readme: string;
  /** 1-based line of the opening fence; line `k` of `code` is line `fenceLine + k` of the README. */
  readonly fenceLine: number;
  readonly language: "ts" | "js";
  readonly mode: BlockMode;
  /** The reason given with `no-run` / `skip`; empty for `run`. */
  readonly reason: string;
  /** The block's text, with the fence's own indentation removed. */
  readonly code: string;
}

const MARKER = /<!--\s*doc-test:\s*([\w-]+)\s*(?:[—–:-]+\s*)?(.*?)\s*-->/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;

/**
 * The TypeScript / JavaScript blocks of `markdown`. Throws on a marker with an unknown mode or without a reason,
 * on a marker that no TypeScript / JavaScript block follows, and on an unclosed fence, naming the line.
 */
export function extractBlocks(readme: string, markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let pending: { mode: BlockMode; reason: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line);
    if (marker) {
      const mode = marker[1]!;
      const reason = marker[2]!;
      if (mode !== "no-run" && mode !== "skip") {
        throw new Error(`${readme}:${i + 1}: doc-test marker "${mode}": expected "no-run" or "skip"`);
      }
      if (reason.length < 8) throw new Error(`${readme}:${i + 1}: doc-test marker "${mode}" needs a reason (why this block cannot run)`);
      pending = { mode, reason, line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (pending && line.trim() !== "") throw new Error(`${readme}:${pending.line}: doc-test marker not followed by a code block`);
      continue;
    }
    const [, indent = "", ticks = "", info = ""] = fence;
    const language = info.toLowerCase();
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${ticks[0]}{${ticks.length},}\\s*$`).test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`${readme}:${i + 1}: code fence never closed`);
    const kind = TYPESCRIPT.has(language) ? "ts" : JAVASCRIPT.has(language) ? "js" : undefined;
    if (kind) {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
        .join("\n");
      blocks.push({
        readme,
        fenceLine: i + 1,
        language: kind,
        mode: pending?.mode ?? "run",
        reason: pending?.reason ?? "",
        code: `${code}\n`,
      });
    } else if (pending) {
      throw new Error(`${readme}:${pending.line}: doc-test marker before a "${language || "plain"}" block, which is never run anyway`);
    }
    pending = undefined;
    i = end;
  }
  if (pending) throw new Error(`${readme}:${pending.line}: doc-test marker not followed by a code block`);
  return blocks;
}
