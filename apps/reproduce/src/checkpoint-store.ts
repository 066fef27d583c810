import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { CorruptFileError } from "./corrupt-file-error.js";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";
import { warn as defaultWarn } from "./warnings.js";

/** What `manifest.json` of one configuration's checkpoints records. */
interface Manifest {
  readonly fingerprint: string;
  /** The configuration itself, for people reading the folder. */
  readonly config?: unknown;
  /** Digests of what the items were computed from (e.g. a model's weights), by name. */
  readonly dependencies: Record<string, string>;
}

/** Options of {@link CheckpointStore.open}. */
export interface CheckpointStoreOptions {
  /** Discard this configuration's checkpoints and start over (other configurations' are kept). */
  readonly fresh?: boolean;
  /** The configuration, written into the manifest for people reading the folder. */
  readonly config?: unknown;
  /** Where warnings go (a corrupted item being recomputed); default: one line on stderr. */
  readonly warn?: (message: string) => void;
}

/**
 * Per-item checkpoints of one experiment run: each finished item (a point, a training epoch, a sweep value) is
 * written atomically as its own sealed JSON file (`{ sha256, value }`), so an interrupted run resumes where it
 * stopped. JSON keeps every float64 exactly (shortest round-trip form), so a resumed run yields byte-identical
 * results.
 *
 * Each configuration (by fingerprint) has its own folder `<root>/<fingerprint prefix>/`, so a run with other
 * options neither blocks on nor deletes the checkpoints of an earlier (perhaps failed) run; running the earlier
 * command again resumes it. Every item is checked when read: a file that is not valid JSON or does not match its
 * checksum is reported in one line (a warning naming the file) and recomputed, never used.
 */
export class CheckpointStore {
  private constructor(
    /** This configuration's folder. */
    readonly directory: string,
    private manifest: Manifest,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Open (or create) the store of configuration `fingerprint` under `root`.
   * @param root - the experiment's checkpoint root, e.g. `<out>/<experiment>/checkpoints`.
   */
  static async open(root: string, fingerprint: string, options: CheckpointStoreOptions = {}): Promise<CheckpointStore> {
    const warn = options.warn ?? defaultWarn;
    const directory = join(root, fingerprint.slice(0, 16));
    const manifestPath = join(directory, "manifest.json");
    if (options.fresh) await rm(directory, { recursive: true, force: true });
    let existing: Manifest | undefined;
    try {
      existing = await readSealedJson<Manifest>(manifestPath);
      if (existing && (existing.fingerprint !== fingerprint || typeof existing.dependencies !== "object" || existing.dependencies === null)) {
        throw new CorruptFileError(manifestPath, "belongs to another configuration or lacks its dependencies");
      }
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      warn(`${error.message}; discarding the checkpoints beside it and recomputing them`);
      await rm(directory, { recursive: true, force: true });
      existing = undefined;
    }
    const store = new CheckpointStore(directory, existing ?? { fingerprint, config: options.config, dependencies: {} }, warn);
    if (!existing) await store.writeManifest();
    return store;
  }

  /** The saved value for `key`, or undefined when the item has not finished yet or its file was corrupted. */
  async get<T>(key: string): Promise<T | undefined> {
    const path = this.path(key);
    try {
      return await readSealedJson<T>(path);
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      this.warn(`${error.message}; recomputing this item`);
      await rm(path, { force: true });
      return undefined;
    }
  }

  /** Save the value of a finished item. */
  async put(key: string, value: unknown): Promise<void> {
    await writeSealedJson(this.path(key), value);
  }

  /**
   * Return the saved value for `key`, or compute it with `compute`, save it and return it.
   * `resumed` tells the caller which happened (for progress and timing reports).
   */
  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; resumed: boolean }> {
    const saved = await this.get<T>(key);
    if (saved !== undefined) return { value: saved, resumed: true };
    const value = await compute();
    await this.put(key, value);
    return { value, resumed: false };
  }

  /**
   * Tie the items to something they were computed from, by digest (e.g. a trained model's weights,
   * `networkWeightsSha256`). When the recorded digest of `name` differs (the model was retrained to other weights
   * after its cache was corrupted or deleted), every item of this configuration is discarded with a warning, so
   * results of two different models are never mixed.
   */
  async bind(name: string, digest: string): Promise<void> {
    const recorded = this.manifest.dependencies[name];
    if (recorded === digest) return;
    if (recorded !== undefined) {
      const items = await this.itemFiles();
      this.warn(`${name} changed since the checkpoints in ${this.directory} were computed; discarding ${items.length} of them`);
      for (const file of items) await rm(join(this.directory, file), { force: true });
    }
    this.manifest = { ...this.manifest, dependencies: { ...this.manifest.dependencies, [name]: digest } };
    await this.writeManifest();
  }

  private async itemFiles(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => name.endsWith(".json") && name !== "manifest.json");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }

  private async writeManifest(): Promise<void> {
    await writeSealedJson(join(this.directory, "manifest.json"), this.manifest, 2);
  }

  private path(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key) || key === "manifest") {
      throw new Error(`checkpoint key ${JSON.stringify(key)} has characters outside [A-Za-z0-9._-] or is reserved`);
    }
    return join(this.directory, `${key}.json`);
  }
}
