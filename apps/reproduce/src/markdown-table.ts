/** A GitHub-flavoured markdown table; `align` gives one of "l" / "r" per column (default: first left, rest right). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ("l" | "r")[]): string {
  const a = align ?? header.map((_, i) => (i === 0 ? "l" : "r"));
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), `|${a.map((x) => (x === "l" ? ":---" : "---:")).join("|")}|`, ...rows.map(line)].join("\n");
}

/** A number in the paper's style: two significant digits in e-notation (`9.6e-7`), `—` when missing. */
export function scientific(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  return x.toExponential(1).replace("e+", "e");
}

/** Ours divided by the paper's, as `×1.3` (two significant digits), `—` when either is missing or the paper's is 0. */
export function ratio(ours: number | undefined, paper: number | undefined): string {
  if (ours === undefined || paper === undefined || !Number.isFinite(ours) || !Number.isFinite(paper) || paper === 0) return "—";
  const r = ours / paper;
  return `×${r >= 100 ? r.toFixed(0) : r.toPrecision(2)}`;
}
