import { explainedRows } from "./explained-points.js";

/**
 * Which test images `pmse` and `attack` explain (`--test-points`). `seeded`: a seeded draw from the whole test split
 * (the default, and the published runs'). `first`: its first images in order — the paper's points: the authors'
 * notebooks take `data[0:n]` of an unshuffled loader over the official test set (App. E.1), and MNIST's test set is
 * not in random order, so the two choices give different magnitudes.
 */
export const TEST_POINT_ORDERS = ["seeded", "first"] as const;
export type TestPointOrder = (typeof TEST_POINT_ORDERS)[number];

/**
 * The test-split rows explained under `order`: `count` of them (at most `n`).
 * @param seed - the seed of the `seeded` draw (ignored by `first`).
 */
export function explainedTestRows(order: TestPointOrder, n: number, count: number, seed: number): number[] {
  if (order === "first") return Array.from({ length: Math.min(count, n) }, (_, i) => i);
  return explainedRows(n, count, seed);
}

/** The report's sentence on which test points a run explained, and what the paper explained. */
export function testPointsText(order: TestPointOrder, count: number): string {
  return order === "first"
    ? `Test points: the first ${count} images of the official test set (\`--test-points first\`), as the authors' notebooks take them.`
    : `Test points: a seeded draw of ${count} from the test split; the authors' notebooks take the first ${count} images of the official test set instead (\`--test-points first\`; for Fashion-MNIST it needs the official files, \`--data-dir\`).`;
}
