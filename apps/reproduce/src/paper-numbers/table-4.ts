import type { PaperImageDataset, PerRadius5 } from "./paper-layout.js";

/** The validated methods of Table 4. */
export type AttackSelectionMethod = "SH+SG" | "SG" | "SP (H+G)" | "SP G";

/**
 * Paper Table 4 (App. E.2.2): the σ² (SH+SG, SG) and β (SP) chosen on the validation set for the attacks, per
 * dataset and magnitude ε, as printed in the paper.
 */
export const PAPER_TABLE_4: Readonly<Record<PaperImageDataset, Readonly<Record<AttackSelectionMethod, PerRadius5>>>> = {
  mnist: {
    "SH+SG": [1e-3, 5e-3, 3e-2, 5e-2, 1.5e-1],
    SG: [1e-3, 5e-3, 2e-2, 6e-2, 8e-2],
    "SP (H+G)": [8, 18, 17, 10, 6],
    "SP G": [10, 12, 10, 11, 3],
  },
  fmnist: {
    "SH+SG": [1e-3, 4e-2, 3e-2, 8e-2, 3e-2],
    SG: [5e-3, 4e-2, 8e-2, 1.5e-1, 3e-1],
    "SP (H+G)": [20, 25, 13, 9, 6],
    "SP G": [30, 9, 11, 8, 3],
  },
  cifar10: {
    "SH+SG": [5e-5, 1e-4, 4e-4, 4e-4, 7.5e-4],
    SG: [5e-5, 3e-4, 5e-4, 7.5e-4, 3e-3],
    "SP (H+G)": [5, 4, 3, 2, 2],
    "SP G": [5, 4, 3, 2, 2],
  },
};
