import { throwIfAborted } from "@smoothhess/errors";
import { perturbationBlocks, type PerturbationBlock } from "./perturbation-blocks.js";
import type { ResolvedSteinOptions } from "./stein-options.js";

/** A perturbation block with the oracle's answer for its points. */
export interface EvaluatedBlock<A> {
  readonly block: PerturbationBlock;
  readonly answer: A;
}

/**
 * The perturbation blocks of a Stein estimator with the oracle's answers, one block ahead: the oracle is asked for
 * block k+1 before block k is handed to the caller, and block k+1 is drawn while the oracle works on block k. An
 * oracle whose `evaluate` leaves the JavaScript thread free while it computes (a worker thread, a GPU, another
 * process) then overlaps with the estimator's own arithmetic; any other oracle computes exactly as before.
 *
 * Nothing about the numbers changes: the blocks are drawn in the same order from the same stream, the oracle sees
 * the same points, and the caller receives the blocks in order. The abort signal is checked before every oracle
 * call (so at most one call is in flight when it fires); progress is reported when a block's answer has arrived.
 * A yielded block is valid until the caller asks for the next one. `float32Points`: see {@link perturbationBlocks}.
 */
export async function* evaluatedBlocks<A>(
  options: ResolvedSteinOptions,
  what: string,
  evaluate: (block: PerturbationBlock) => A | Promise<A>,
  float32Points = false,
): AsyncGenerator<EvaluatedBlock<A>> {
  const { signal, onProgress } = options;
  const total = options.units * options.pointsPerUnit;
  // Two buffer slots: block k+1 is drawn into the other slot while the oracle still reads block k's points.
  const blocks = perturbationBlocks(options, 2, float32Points);
  const start = (block: PerturbationBlock): Promise<A> => {
    // Called now (not in a later microtask), so that the oracle starts before the next block is drawn.
    let answer: Promise<A>;
    try {
      answer = Promise.resolve(evaluate(block));
    } catch (error) {
      answer = Promise.reject(error);
    }
    // Awaited later; until then a rejection must not count as unhandled.
    answer.catch(() => undefined);
    return answer;
  };
  let completed = 0;
  throwIfAborted(signal, what, completed);
  let current = await blocks.next();
  if (current.done) return;
  let pending = start(current.value);
  for (;;) {
    const block: PerturbationBlock = current.value;
    const next = await blocks.next();
    const answer = await pending;
    completed += block.pointCount;
    onProgress?.({ completed, total });
    if (!next.done) {
      throwIfAborted(signal, what, completed);
      pending = start(next.value);
    }
    yield { block, answer };
    if (next.done) return;
    current = next;
  }
}
