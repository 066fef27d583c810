/** The image datasets of the paper's metrics tables (Sec. 5, App. F). */
export type PaperImageDataset = "mnist" | "fmnist" | "cifar10";

/** The two explained functions of the P_MSE tables: the predicted-class logit and the internal neuron. */
export type PmseTarget = "logit" | "neuron";

/** The P_MSE methods of Tables 1, 5 and 6, in the paper's row order. */
export const PMSE_METHODS = ["SH+SG", "SG", "SP (H+G)", "SP G", "SW (H+G)", "SW G", "G"] as const;
/** One P_MSE method (a row of Tables 1, 5, 6). */
export type PmseMethod = (typeof PMSE_METHODS)[number];

/** The attack methods of Tables 2 and 8, in the paper's row order. */
export const ATTACK_METHODS = ["SH+SG", "SG", "SP (H+G)", "SP G", "H+G", "G", "Random"] as const;
/** One attack method (a row of Tables 2 and 8). */
export type AttackMethod = (typeof ATTACK_METHODS)[number];

/** Three numbers, one per P_MSE radius ε = 0.25, 0.5, 1.0. */
export type PerRadius3 = readonly [number, number, number];
/** Five numbers, one per attack magnitude (0.25 … 1.75 for MNIST/FMNIST; 0.1 … 1.0 for CIFAR-10). */
export type PerRadius5 = readonly [number, number, number, number, number];
