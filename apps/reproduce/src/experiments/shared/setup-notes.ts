import type { EngineName } from "../../engine.js";
import { isFashionMnistFilesSource } from "../../fashion-mnist-files.js";
import type { ImageTask, ImageTaskDataset } from "../../image-classifier-task.js";

/** The "training examples" and "steps" cells of a setup table: counts for a trained model, a dash for a checkpoint. */
export function trainingCells(model: ImageTask["summary"]): [string, string] {
  if (model.checkpoint !== undefined) return ["— (authors' checkpoint)", "—"];
  return [String(model.trainExamples), String(model.trainingSteps)];
}

/** What computes SmoothHess / SmoothGrad on `engine`, for a report's setup paragraph. */
export function gradientEngineText(engine: EngineName): string {
  return engine === "onnx"
    ? "ONNX Runtime (`@smoothhess/onnx`: the network's backward graph, float32, one intra-op thread per session) with its outer-product kernel"
    : "the fast tfjs oracle (wasm) with the tfjs outer-product kernel";
}

/** What computes the SoftPlus / Swish Hessians on `engine`. */
export function surrogateEngineText(engine: EngineName): string {
  return engine === "onnx" ? "ONNX Runtime surrogate graphs, float32" : "tfjs surrogates, float32";
}

/**
 * Where the explained points come from, per dataset (each model configuration's `data`), and what that means for
 * the authors' checkpoints: on MNIST the splits are theirs; on Fashion-MNIST too with the official files from
 * `--data-dir`, while the embedded package cannot tell the official test images apart.
 */
export function dataSourceText(sources: readonly { readonly dataset: ImageTaskDataset; readonly data: string }[], authors: boolean): string {
  const names: Record<ImageTaskDataset, string> = { mnist: "MNIST", fmnist: "FMNIST" };
  const parts = sources.map((s) => `${names[s.dataset]}: ${s.data}`);
  let text = `Data — ${parts.join("; ")}.`;
  const fmnist = sources.find((s) => s.dataset === "fmnist");
  if (authors && fmnist && !isFashionMnistFilesSource(fmnist.data)) {
    text +=
      " The authors' FMNIST checkpoint was trained on 50,000 of the official 60,000 training images; which ones the embedded" +
      " package holds where is unknown, so about five in seven of its validation and test points here are likely training" +
      " images of that checkpoint (its accuracy is the same, ~92 %, on every block of the package's images)." +
      " Give the official FMNIST IDX files with --data-dir to fix that.";
  }
  if (authors && sources.some((s) => s.dataset === "mnist")) {
    text += " The authors' MNIST checkpoint saw none of its validation or test points (first 50,000 official training images only).";
  }
  return text;
}
