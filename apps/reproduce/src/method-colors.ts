/**
 * One colour per method across every figure of the P_MSE and attack experiments (Vega-Lite `scale` of the `color`
 * channel), so SH+SG is the same blue everywhere.
 */
export const METHOD_COLORS: Readonly<Record<string, string>> = {
  "SH+SG": "#1f77b4",
  SG: "#ff7f0e",
  "SP (H+G)": "#d62728",
  "SP G": "#17becf",
  "SW (H+G)": "#2ca02c",
  "SW G": "#bcbd22",
  "H+G": "#8c564b",
  G: "#9467bd",
  Random: "#7f7f7f",
};

/** The Vega-Lite colour scale for `methods`, in that order. */
export function methodColorScale(methods: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...methods], range: methods.map((m) => METHOD_COLORS[m] ?? "#000000") };
}
