import type { AttackMethod, PaperImageDataset, PerRadius5 } from "./paper-layout.js";

/** The attack magnitudes ε of Tables 2, 4 and 8, per dataset. */
export const PAPER_ATTACK_RADII: Readonly<Record<PaperImageDataset, PerRadius5>> = {
  mnist: [0.25, 0.5, 0.75, 1.25, 1.75],
  fmnist: [0.25, 0.5, 0.75, 1.25, 1.75],
  cifar10: [0.1, 0.2, 0.3, 0.4, 1.0],
};

/**
 * Paper Table 8 (App. F.2): post-hoc accuracy (%) of attacks on the predicted-class SoftMax probability at five
 * magnitudes ε ({@link PAPER_ATTACK_RADII}); lower is a stronger attack. Table 2 of the main text is this table
 * without the "H+G" row (its numbers are identical). As printed in the paper.
 */
export const PAPER_TABLE_8: Readonly<Record<PaperImageDataset, Readonly<Record<AttackMethod, PerRadius5>>>> = {
  mnist: {
    "SH+SG": [93.0, 80.3, 48.0, 10.5, 2.0],
    SG: [93.3, 81.8, 48.8, 11.3, 2.8],
    "SP (H+G)": [93.0, 81.8, 51.5, 15.8, 7.5],
    "SP G": [93.3, 82.3, 53.8, 16.3, 5.0],
    "H+G": [93.0, 81.8, 55.3, 19.0, 11.8],
    G: [93.3, 82.8, 56.0, 18.5, 8.8],
    Random: [99.8, 99.5, 99.0, 99.0, 98.8],
  },
  fmnist: {
    "SH+SG": [79.5, 46.8, 25.0, 3.5, 0.0],
    SG: [79.5, 49.3, 26.3, 4.0, 0.0],
    "SP (H+G)": [79.8, 51.0, 27.5, 5.3, 0.8],
    "SP G": [79.8, 51.5, 29.5, 7.8, 1.0],
    "H+G": [80.0, 50.0, 30.3, 9.5, 2.0],
    G: [80.3, 52.3, 31.8, 11.0, 2.5],
    Random: [99.3, 98.0, 97.3, 95.5, 93.8],
  },
  cifar10: {
    "SH+SG": [62.5, 38.5, 26.5, 15.0, 4.5],
    SG: [65.0, 42.0, 27.5, 17.0, 0.0],
    "SP (H+G)": [64.5, 42.0, 31.0, 23.5, 7.5],
    "SP G": [66.5, 47.5, 36.0, 29.5, 8.5],
    "H+G": [68.0, 51.5, 40.5, 32.5, 22.0],
    G: [69.0, 51.5, 41.0, 34.0, 21.5],
    Random: [100.0, 99.5, 99.0, 98.5, 96.5],
  },
};
