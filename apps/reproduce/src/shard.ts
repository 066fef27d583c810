import { UsageError } from "./usage-error.js";

/** One shard of a run split over `count` processes: it computes the items whose index ≡ `index` (mod `count`). */
export interface ShardSpec {
  /** 0-based: 0 ≤ index < count (the numbering of `JOB_COMPLETION_INDEX` and of `--array=0-(N-1)`). */
  readonly index: number;
  readonly count: number;
}

/** Whether `shard` computes item `item` of a stage (every `count`-th item, starting at `index`). */
export function ownsItem(shard: ShardSpec, item: number): boolean {
  return item % shard.count === shard.index;
}

/**
 * Parse `--shard k/N` (0 ≤ k < N) or `--shard auto/N`, where `auto` takes k from the scheduler's environment:
 * `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs, 0-based) or `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN`
 * (so `--array=0-7` and `--array=1-8` both give k = 0…7).
 * @throws {@link UsageError} naming the flag or the variable.
 */
export function parseShard(value: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const match = /^\s*(auto|\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) throw new UsageError(`--shard must be k/N (0 ≤ k < N) or auto/N, got ${JSON.stringify(value)}`);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`--shard: N must be an integer ≥ 1, got ${JSON.stringify(match[2])}`);
  let index: number;
  if (match[1] === "auto") {
    const k8s = env.JOB_COMPLETION_INDEX;
    const slurm = env.SLURM_ARRAY_TASK_ID;
    if (k8s !== undefined) index = integerVariable("JOB_COMPLETION_INDEX", k8s);
    else if (slurm !== undefined) index = integerVariable("SLURM_ARRAY_TASK_ID", slurm) - integerVariable("SLURM_ARRAY_TASK_MIN", env.SLURM_ARRAY_TASK_MIN ?? "0");
    else throw new UsageError("--shard auto/N needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (SLURM job array) in the environment; neither is set");
  } else {
    index = Number(match[1]);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`--shard ${value.trim()}: the shard index must satisfy 0 ≤ k < ${count}, got ${index}`);
  }
  return { index, count };
}

function integerVariable(name: string, value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new UsageError(`--shard auto: ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
