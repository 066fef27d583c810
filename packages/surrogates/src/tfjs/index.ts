export { tfjsSurrogates } from "./tfjs-surrogates.js";
export type { TfjsSurrogates, TfjsSurrogatesOptions, TfjsModel } from "./tfjs-surrogates.js";
export { networkProgram } from "./network-program.js";
export type { OwnedLayerProgram } from "./network-program.js";
export { PROGRAM_LAYER_TYPES } from "./layer-program.js";
export type { LayerProgram, ProgramLayer } from "./layer-program.js";
