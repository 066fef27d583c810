/** Whose trained networks an experiment explains (`--model`): its own training, or the SmoothHess authors' checkpoints. */
export const MODEL_SOURCES = ["ours", "authors"] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];
