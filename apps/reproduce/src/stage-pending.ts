import { SmoothHessError } from "@smoothhess/errors";

/** A stage of an experiment whose items are not all checkpointed yet (see `CheckpointStore.completeStage`). */
export interface PendingStage {
  /** The stage's name, e.g. `pmse mnist-logit validation`. */
  readonly stage: string;
  /** Items of the stage that are checkpointed (found or computed by this process). */
  readonly present: number;
  readonly total: number;
}

/**
 * A shard run (or a merge) reached the end of one or more stages whose items are not all checkpointed: the items of
 * other shards are missing, so what depends on the whole stage (a σ chosen on all validation points) cannot be
 * computed yet. Not a failure: the shard did its share; merging the shards completes the stage. Code
 * `"stage-pending"`.
 */
export class StagePendingError extends SmoothHessError {
  constructor(readonly stages: readonly PendingStage[]) {
    super("stage-pending", `stages waiting for other shards' items: ${stages.map((s) => `"${s.stage}" (${s.present}/${s.total})`).join(", ")}`);
  }
}
