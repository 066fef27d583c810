export { measure } from "./measure.js";
export type { Measurement } from "./measure.js";
export { printTable } from "./print-table.js";
export { machineLine } from "./machine-line.js";
