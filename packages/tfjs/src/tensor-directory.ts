import * as tf from "@tensorflow/tfjs-core";
import { ModelFileError } from "./model-file-error.js";

/** Name of the JSON file in a saved directory (tfjs's own layout: `model.json` + binary weight shards). */
export const MODEL_JSON = "model.json";
/** Name of the single weight shard. */
export const WEIGHTS_BIN = "weights.bin";
/** Value of the `format` field this package writes. */
export const FORMAT = "smoothhess-tfjs";

/** The JSON part of a saved directory: tfjs's `ModelJSON` layout with this package's topology. */
export interface SavedModelJson {
  readonly format: typeof FORMAT;
  /** 2 since the checksums below (version 1 directories, without them, still load). */
  readonly formatVersion: 1 | 2;
  readonly generatedBy: string;
  /** `{ architecture, config }` of the network. */
  readonly modelTopology: Record<string, unknown>;
  /** Anything else (training state of a checkpoint). */
  readonly userDefinedMetadata?: Record<string, unknown>;
  /** Standard tfjs weights manifest: one group, one shard. */
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  /** SHA-256 (hex) of the weight file's bytes. */
  readonly weightsSha256?: string;
  /** SHA-256 (hex) of this JSON document as written without this field (`JSON.stringify(json, null, 1)`). */
  readonly sha256?: string;
}

/** Options of the lock that serialises writers (and readers) of one saved directory. */
const LOCK_OPTIONS = {
  realpath: false,
  // A writer holds the lock for one directory swap (seconds at most); waiting up to ~2 minutes covers many queued
  // writers. A lock left by a killed process counts as stale after 30 s without an update.
  stale: 30_000,
  retries: { retries: 300, factor: 1.2, minTimeout: 10, maxTimeout: 400, randomize: true },
  // The lock is short-lived; if its refresh is ever late, finish the swap rather than crash the process.
  onCompromised: () => {},
} as const;

/** Hex SHA-256 of some bytes or text. */
async function sha256(data: Uint8Array | string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(data).digest("hex");
}

/** Text of `json` as written, and the checksum over it without the `sha256` field. */
function serialise(json: SavedModelJson): string {
  return JSON.stringify(json, null, 1);
}

/**
 * Run `work` while holding the lock of directory `target` (`<target>.lock`, proper-lockfile: an atomic `mkdir`
 * that works across processes and within one). Readers fall back to no lock where the parent is not writable
 * (a read-only model folder).
 */
async function withDirectoryLock<T>(target: string, work: () => Promise<T>, reading = false): Promise<T> {
  const lockfile = await import("proper-lockfile");
  const lock = (lockfile.default ?? lockfile).lock;
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lock(target, LOCK_OPTIONS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(reading && (code === "EACCES" || code === "EROFS" || code === "EPERM" || code === "ENOENT"))) {
      throw new ModelFileError(target, `could not be locked (${code ?? String(error)})`, error);
    }
  }
  try {
    return await work();
  } finally {
    await release?.().catch(() => {});
  }
}

let sequence = 0;

/**
 * Write named tensors and JSON metadata to `dir` **atomically** and **safely under concurrent writers**:
 * everything goes to a fresh sibling directory (files written with `write-file-atomic`, so flushed to disk) that
 * is swapped onto `dir` while holding the directory's lock, so a crash leaves either the old directory or the
 * new one, never a mix, and concurrent writers queue instead of failing. `model.json` carries the SHA-256 of the
 * weights and of itself, which {@link readTensorDirectory} checks.
 * @throws {@link ModelFileError} when the directory cannot be written (e.g. its parent is a regular file).
 * @internal
 */
export async function writeTensorDirectory(
  dir: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
  topology: Record<string, unknown>,
  metadata?: Record<string, unknown>,
): Promise<void> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const writeFileAtomic = (await import("write-file-atomic")).default;
  const target = path.resolve(dir);
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of tensors) named[name] = t;
  const { data, specs } = await tf.io.encodeWeights(named);
  const weights = new Uint8Array(data as ArrayBuffer);
  const unsigned: SavedModelJson = {
    format: FORMAT,
    formatVersion: 2,
    generatedBy: "@smoothhess/tfjs",
    modelTopology: topology,
    ...(metadata ? { userDefinedMetadata: metadata } : {}),
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    weightsSha256: await sha256(weights),
  };
  const json: SavedModelJson = { ...unsigned, sha256: await sha256(serialise(unsigned)) };
  const parent = path.dirname(target);
  try {
    await fs.mkdir(parent, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EEXIST" || code === "ENOTDIR" ? "a path above it is a regular file, not a directory" : `its parent ${parent} cannot be created (${code})`;
    throw new ModelFileError(target, `cannot be written: ${why}`, error);
  }
  await withDirectoryLock(target, async () => {
    const stamp = `${process.pid}-${Date.now()}-${sequence++}`;
    const tmp = `${target}.tmp-${stamp}`;
    const old = `${target}.old-${stamp}`;
    try {
      const existing = await fs.stat(target).catch(() => undefined);
      if (existing && !existing.isDirectory()) throw new Error(`${target} exists and is not a directory`);
      await fs.mkdir(tmp);
      await writeFileAtomic(path.join(tmp, WEIGHTS_BIN), Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength));
      await writeFileAtomic(path.join(tmp, MODEL_JSON), serialise(json));
      let hadOld = false;
      try {
        await fs.rename(target, old);
        hadOld = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      await fs.rename(tmp, target);
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
    } catch (error) {
      await fs.rm(tmp, { recursive: true, force: true });
      const detail = error instanceof Error ? error.message : String(error);
      throw new ModelFileError(target, `could not be written (${detail})`, error);
    }
  });
}

/** True when `dir` holds a `model.json` (readable or not; {@link readTensorDirectory} judges it). @internal */
export async function hasTensorDirectory(dir: string): Promise<boolean> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  try {
    await fs.access(path.join(path.resolve(dir), MODEL_JSON));
    return true;
  } catch {
    return false;
  }
}

/**
 * Read a directory written by {@link writeTensorDirectory} (under its lock, so never in the middle of a swap) and
 * verify its checksums. The caller owns (and must dispose) the tensors.
 * @throws {@link ModelFileError} when it is missing, `model.json` is not valid JSON or not in this format, or the
 *   weights are truncated or do not match their checksum.
 * @internal
 */
export async function readTensorDirectory(dir: string): Promise<{ json: SavedModelJson; tensors: Map<string, tf.Tensor> }> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const target = path.resolve(dir);
  const { json, bytes } = await withDirectoryLock(
    target,
    async () => {
      let text: string;
      try {
        text = await fs.readFile(path.join(target, MODEL_JSON), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new ModelFileError(target, code === "ENOENT" ? `has no ${MODEL_JSON}` : `${MODEL_JSON} cannot be read (${code})`, error);
      }
      let parsed: SavedModelJson;
      try {
        parsed = JSON.parse(text) as SavedModelJson;
      } catch (error) {
        throw new ModelFileError(target, `${MODEL_JSON} is not valid JSON (${(error as Error).message})`, error);
      }
      if (parsed?.format !== FORMAT || !Array.isArray(parsed.weightsManifest) || parsed.weightsManifest.length !== 1) {
        throw new ModelFileError(target, `${MODEL_JSON} is not a ${FORMAT} file (format: ${String(parsed?.format)})`);
      }
      const { sha256: stored, ...unsigned } = parsed;
      // Version 1 predates the checksums; a checksum that is present is verified whatever the version says.
      if (parsed.formatVersion !== 1 || stored !== undefined || parsed.weightsSha256 !== undefined) {
        if (typeof stored !== "string" || typeof parsed.weightsSha256 !== "string") {
          throw new ModelFileError(target, `${MODEL_JSON} lacks its checksums (format version ${String(parsed.formatVersion)})`);
        }
        if ((await sha256(serialise(unsigned))) !== stored) {
          throw new ModelFileError(target, `${MODEL_JSON} does not match its checksum (the file is corrupted)`);
        }
      }
      const file = parsed.weightsManifest[0].paths?.[0];
      if (file !== WEIGHTS_BIN) throw new ModelFileError(target, `${MODEL_JSON} names weight file ${String(file)}, expected ${WEIGHTS_BIN}`);
      let weights: Uint8Array;
      try {
        weights = await fs.readFile(path.join(target, file));
      } catch (error) {
        throw new ModelFileError(target, `weight file ${file} is missing`, error);
      }
      return { json: parsed, bytes: weights };
    },
    true,
  );
  const group = json.weightsManifest[0];
  const expected = group.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.byteLength !== expected) {
    throw new ModelFileError(target, `weight file has ${bytes.byteLength} bytes, the manifest describes ${expected}`);
  }
  if (json.weightsSha256 !== undefined && (await sha256(bytes)) !== json.weightsSha256) {
    throw new ModelFileError(target, `weight file ${WEIGHTS_BIN} does not match its SHA-256 in ${MODEL_JSON} (the file is corrupted)`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, group.weights);
  return { json, tensors: new Map(Object.entries(decoded)) };
}

/**
 * SHA-256 (hex) of a set of named tensors as {@link writeTensorDirectory} writes them to `weights.bin`: a
 * fingerprint of a network's weights that equals the checksum in its saved `model.json`.
 * @internal
 */
export async function tensorsSha256(tensors: ReadonlyMap<string, tf.Tensor>): Promise<string> {
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of tensors) named[name] = t;
  const { data } = await tf.io.encodeWeights(named);
  return sha256(new Uint8Array(data as ArrayBuffer));
}
