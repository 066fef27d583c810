import type { TopLevelSpec } from "vega-lite";
import type { VegaLiteSpec } from "./vega-lite-spec.js";

type Plotting = readonly [typeof import("vega"), typeof import("vega-lite")];
let plotting: Promise<Plotting> | undefined;

/**
 * vega and vega-lite, imported on the first drawing rather than with the package: vega is ESM-only and uses
 * top-level await, which a CommonJS `require("@smoothhess/explain")` cannot load, so a static import would make the
 * whole package unusable from CommonJS. `import()` works from both module formats, and users who never draw never
 * load the plotting code.
 */
function loadPlotting(): Promise<Plotting> {
  plotting ??= Promise.all([import("vega"), import("vega-lite")]).catch((error: unknown) => {
    plotting = undefined; // a failed import is not cached: the next drawing tries again
    throw error;
  });
  return plotting;
}

/**
 * Render a Vega-Lite spec to an SVG string (vega's headless SVG renderer; no canvas or DOM needed, so it runs in Node
 * and in browsers alike). vega and vega-lite are loaded by dynamic import on the first call, so this works from
 * CommonJS and ESM alike.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadPlotting();
  const view = new vega.View(vega.parse(vegaLite.compile(spec as TopLevelSpec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
