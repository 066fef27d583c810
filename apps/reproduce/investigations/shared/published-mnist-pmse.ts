import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readRunDocument } from "../../src/model-runs.js";
import type { PmseConfig } from "../../src/experiments/pmse/config.js";
import type { PmseResults } from "../../src/experiments/pmse/compute.js";

/** The published `pmse --full --model authors` run on MNIST (its kept merge, results.json.gz beside its report). */
export const PUBLISHED_MNIST_PMSE = fileURLToPath(new URL("../../published/pmse/mnist/pmse-authors", import.meta.url));

/** The published MNIST P_MSE run's configuration and its MNIST results (checksummed on reading). */
export async function readPublishedMnistPmse(directory = PUBLISHED_MNIST_PMSE): Promise<{ config: PmseConfig; dataset: PmseResults["datasets"][number] }> {
  const document = await readRunDocument(directory, "pmse", "authors");
  if (!document) throw new Error(`${directory} has no results.json(.gz)`);
  const published = document as unknown as { config: PmseConfig; results: PmseResults };
  const dataset = published.results.datasets[0];
  if (dataset.dataset !== "mnist") throw new Error(`${directory} holds ${dataset.dataset}, expected mnist`);
  return { config: published.config, dataset };
}

/** The records of an investigation's checkpoint file, one JSON object per line; none when it does not exist yet. */
export async function readJsonLines<T>(path: string): Promise<T[]> {
  if (!existsSync(path)) return [];
  return (await readFile(path, "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as T);
}
