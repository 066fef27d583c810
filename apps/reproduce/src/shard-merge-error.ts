import { SmoothHessError } from "@smoothhess/errors";

/**
 * Shards cannot be merged: they were run with different options, a shard is missing or duplicated, a checkpoint
 * is damaged, two shards hold different values for one item, or their models' weights differ. Code
 * `"shard-merge"`; the message names the directories or the file.
 */
export class ShardMergeError extends SmoothHessError {
  constructor(message: string) {
    super("shard-merge", message);
  }
}
