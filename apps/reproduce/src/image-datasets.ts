/** The image datasets the P_MSE and attack experiments run on without a data directory (`--dataset`). */
export const IMAGE_DATASETS = ["mnist", "fmnist"] as const;
export type ImageTaskDataset = (typeof IMAGE_DATASETS)[number];
