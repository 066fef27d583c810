import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Render a Vega-Lite spec to an SVG string (vega's headless SVG renderer; no canvas or DOM needed, so it runs in Node
 * and in browsers alike).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
