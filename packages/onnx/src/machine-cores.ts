import { availableParallelism } from "node:os";

/** The machine's logical cores (`os.availableParallelism()`): the default intra-op thread count. */
export async function machineCores(): Promise<number> {
  return availableParallelism();
}
