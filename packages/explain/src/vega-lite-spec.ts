/**
 * A Vega-Lite specification: a JSON object as described at https://vega.github.io/vega-lite/docs/spec.html.
 *
 * Typed as any object, not as vega-lite's `TopLevelSpec`, so that this package's declarations need none of
 * vega-lite's types: TypeScript cannot find those under `moduleResolution` `node10` (vega-lite declares its types
 * only in `exports`), and a project that does not list vega-lite itself could not name them. To check a spec you
 * write, type it with vega-lite's own `TopLevelSpec` (`import type { TopLevelSpec } from "vega-lite"`): it is
 * accepted here; a spec this package returns can be cast to it (`spec as TopLevelSpec`).
 */
export type VegaLiteSpec = object;
