import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { CorruptFileError } from "./corrupt-file-error.js";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";
import { ownsItem, type ShardSpec } from "./shard.js";
import { ShardMergeError } from "./shard-merge-error.js";
import { StagePendingError, type PendingStage } from "./stage-pending.js";
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
  /** A shard run: staged items of other shards are loaded when checkpointed, never computed. */
  readonly shard?: ShardSpec;
  /**
   * A merge: staged items are loaded, never computed (the shards compute them), and a model whose weights differ
   * from the ones the checkpoints are bound to is an error instead of a reason to recompute.
   */
  readonly merging?: boolean;
  /** Called after each item this process computed and checkpointed (the invocation log counts them). */
  readonly onComputed?: () => void;
}

/** Where an item sits in a stage of an experiment: the unit a shard run takes every N-th of. */
export interface StagePlacement {
  /** The stage's name (items of one stage are independent of each other; later stages may use all of them). */
  readonly stage: string;
  /** The item's index in its stage, 0-based; shard k of N computes the items with index ≡ k (mod N). */
  readonly item: number;
}

/** What {@link CheckpointStore.getOrCompute} hands back. */
export interface CheckpointResult<T> {
  /** The value; `undefined` (despite the type) when `deferred`. */
  readonly value: T;
  /** The value was read from its checkpoint, not computed. */
  readonly resumed: boolean;
  /**
   * Another shard's item that is not checkpointed here (or any missing item in a merge): nothing was computed and
   * `value` is undefined. The stage's {@link CheckpointStore.completeStage} throws before such a value is used.
   */
  readonly deferred: boolean;
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
    private readonly shard: ShardSpec | undefined,
    private readonly merging: boolean,
    private readonly onComputed: (() => void) | undefined,
  ) {}

  /** Per stage: items requested, and items deferred (not checkpointed, not this process's to compute). */
  private readonly stages = new Map<string, { total: number; deferred: number }>();
  /** Stages found incomplete by {@link completeStage} inside {@link whenStagesComplete}. */
  private readonly pendingStages: PendingStage[] = [];

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
    const store = new CheckpointStore(directory, existing ?? { fingerprint, config: options.config, dependencies: {} }, warn, options.shard, options.merging ?? false, options.onComputed);
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
   *
   * With `placement`, the item belongs to a stage: in a shard run only the shard's own items are computed and a
   * missing item of another shard comes back `deferred` (in a merge, every missing staged item does). Call
   * {@link completeStage} after the stage's loop and before using its values. Items without a placement (a
   * training run, a cheap summary) are computed by every process that needs them.
   */
  async getOrCompute<T>(key: string, compute: () => Promise<T>, placement?: StagePlacement): Promise<CheckpointResult<T>> {
    if (placement) {
      const counts = this.stages.get(placement.stage) ?? { total: 0, deferred: 0 };
      this.stages.set(placement.stage, counts);
      counts.total++;
      const saved = await this.get<T>(key);
      if (saved !== undefined) return { value: saved, resumed: true, deferred: false };
      if (this.merging || (this.shard && !ownsItem(this.shard, placement.item))) {
        counts.deferred++;
        return { value: undefined as T, resumed: false, deferred: true };
      }
      const value = await compute();
      await this.put(key, value);
      this.onComputed?.();
      return { value, resumed: false, deferred: false };
    }
    const saved = await this.get<T>(key);
    if (saved !== undefined) return { value: saved, resumed: true, deferred: false };
    const value = await compute();
    await this.put(key, value);
    this.onComputed?.();
    return { value, resumed: false, deferred: false };
  }

  /**
   * End of stage `stage`'s loop: returns when every item of it is checkpointed; otherwise (a shard run, or a merge
   * before the shards finished the stage) throws {@link StagePendingError}, so no deferred value is ever used.
   */
  completeStage(stage: string): void {
    const counts = this.stages.get(stage) ?? { total: 0, deferred: 0 };
    this.stages.delete(stage);
    if (counts.deferred > 0) throw new StagePendingError([{ stage, present: counts.total - counts.deferred, total: counts.total }]);
  }

  /**
   * Run `part` (e.g. one dataset of an experiment); when it stops at an incomplete stage, remember that stage and
   * return undefined, so independent parts still run their own stages in this round. Call
   * {@link throwIfStagesPending} before using the parts' results.
   */
  async whenStagesComplete<T>(part: () => Promise<T>): Promise<T | undefined> {
    try {
      return await part();
    } catch (error) {
      if (!(error instanceof StagePendingError)) throw error;
      this.pendingStages.push(...error.stages);
      return undefined;
    }
  }

  /** Throw {@link StagePendingError} with every stage {@link whenStagesComplete} found incomplete; none: return. */
  throwIfStagesPending(): void {
    if (this.pendingStages.length === 0) return;
    const stages = this.pendingStages.splice(0);
    throw new StagePendingError(stages);
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
    if (recorded !== undefined && this.merging) {
      throw new ShardMergeError(`${name} has weights ${digest.slice(0, 12)}… here, but the shards' checkpoints in ${this.directory} were computed with ${recorded.slice(0, 12)}…; merge on a machine that reproduces the shards' model, or copy their <out>/models/ folder`);
    }
    if (recorded !== undefined) {
      const items = await this.itemFiles();
      this.warn(`${name} changed since the checkpoints in ${this.directory} were computed; discarding ${items.length} of them`);
      for (const file of items) await rm(join(this.directory, file), { force: true });
    }
    this.manifest = { ...this.manifest, dependencies: { ...this.manifest.dependencies, [name]: digest } };
    await this.writeManifest();
  }

  /**
   * Copy the items of the same configuration from another store's folder (a shard's, or an earlier merge's) into
   * this one, each checked against its seal. An item present in both must hold the same value, and the model
   * digests the two are bound to must agree. With `shared`: only the items `shared.shares` selects, from the folder
   * of another configuration, whose fingerprint must be `shared.fingerprint` (one that computes them alike; see
   * `Experiment.sharedItems`).
   * @returns how many items were copied (0 when `source` does not exist).
   * @throws {@link ShardMergeError} naming the file or the dependency at fault.
   */
  async importFrom(source: string, shared?: { readonly fingerprint: string; readonly shares: (key: string) => boolean }): Promise<number> {
    const fingerprint = shared?.fingerprint ?? this.manifest.fingerprint;
    const shares = shared?.shares ?? (() => true);
    let manifest: Manifest | undefined;
    try {
      manifest = await readSealedJson<Manifest>(join(source, "manifest.json"));
    } catch (error) {
      if (error instanceof CorruptFileError) throw new ShardMergeError(error.message);
      throw error;
    }
    if (manifest === undefined) return 0;
    if (manifest.fingerprint !== fingerprint) {
      throw new ShardMergeError(`${source} holds checkpoints of configuration ${String(manifest.fingerprint).slice(0, 16)}, not ${fingerprint.slice(0, 16)}`);
    }
    for (const [name, digest] of Object.entries(manifest.dependencies ?? {})) {
      const mine = this.manifest.dependencies[name];
      if (mine !== undefined && mine !== digest) {
        throw new ShardMergeError(`${name}: ${source} was computed with weights ${digest.slice(0, 12)}…, ${this.directory} with ${mine.slice(0, 12)}…; the shards trained different models (other backend or machine?)`);
      }
      if (mine === undefined) {
        this.manifest = { ...this.manifest, dependencies: { ...this.manifest.dependencies, [name]: digest } };
        await this.writeManifest();
      }
    }
    let copied = 0;
    const files = (await readdir(source)).filter((name) => name.endsWith(".json") && name !== "manifest.json" && shares(name.slice(0, -".json".length))).sort();
    for (const file of files) {
      const key = file.slice(0, -".json".length);
      let value: unknown;
      try {
        value = await readSealedJson(join(source, file));
      } catch (error) {
        if (error instanceof CorruptFileError) throw new ShardMergeError(`${error.message}; rerun that shard to recompute it`);
        throw error;
      }
      const existing = await this.get(key);
      if (existing === undefined) {
        await this.put(key, value);
        copied++;
      } else if (JSON.stringify(existing) !== JSON.stringify(value)) {
        throw new ShardMergeError(`${join(source, file)} differs from the same item in ${this.directory}; the shards did not compute the same numbers`);
      }
    }
    return copied;
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
