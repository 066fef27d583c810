import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "./atomic-write.js";

/**
 * Render a Vega-Lite chart to `<path>.svg` and `<path>.png` (vega renders the SVG headlessly; resvg rasterises it
 * at 2× with the system fonts). Returns the two file paths.
 */
export async function renderChart(spec: TopLevelSpec, path: string): Promise<{ svg: string; png: string }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "white", font: { loadSystemFonts: true } })
    .render()
    .asPng();
  await writeFileAtomic(`${path}.svg`, svg);
  await writeFileAtomic(`${path}.png`, png);
  return { svg: `${path}.svg`, png: `${path}.png` };
}
