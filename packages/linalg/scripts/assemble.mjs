/** Assemble the kernels' WebAssembly text (kernels-wat.mjs) to bytes with wabt. */
import wabt from "wabt";
import { kernelsWat } from "./kernels-wat.mjs";

export async function assembleKernels() {
  const w = await wabt();
  const module = w.parseWat("kernels.wat", kernelsWat(), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
