import { cpus, hostname } from "node:os";
import { join } from "node:path";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";

/** One process's work on one configuration of an experiment, as `invocations/<fingerprint>.json` records it. */
export interface InvocationRecord {
  /** When the process started this experiment (ISO 8601). */
  readonly startedAt: string;
  /** The last time the record was written: at every heartbeat and at the end. */
  readonly updatedAt: string;
  /** Wall seconds from the start to `updatedAt`. */
  readonly wallSeconds: number;
  /** User + system CPU seconds of the process over the same span. */
  readonly cpuSeconds: number;
  /** Items this process computed and checkpointed (resumed ones are not counted). */
  readonly itemsComputed: number;
  /** The run completed and wrote its results (false: it failed, stopped for a pending stage, was killed, or is still running). */
  readonly finished: boolean;
  /**
   * The process wrote this record when it ended, on success or on an error (a pending stage included), so its times
   * and item count are exact; absent or false while it runs, and for a process killed since its last heartbeat
   * (records written before this field existed lack it too).
   */
  readonly closed?: boolean;
  /** The command line after `node`. */
  readonly argv: readonly string[];
  /** Which machine: host name, logical cores and CPU model. */
  readonly machine: { readonly host: string; readonly cores: number; readonly cpu: string };
  /** Set on records copied in from another output directory (a shard being merged). */
  readonly importedFrom?: string;
}

/** Totals over the invocations of one configuration. */
export interface InvocationTotals {
  readonly invocations: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly itemsComputed: number;
}

/** How often a running invocation rewrites its record, so an interrupted one is accounted to within this. */
const HEARTBEAT_MS = 30_000;

/**
 * The compute-time ledger of one experiment configuration: every invocation (a run, a resumed run, a shard) appends
 * its record and rewrites it at a heartbeat, so a process killed at the end of a working session still leaves its
 * wall and CPU time (to within the heartbeat) — the paper-scale runs are resumed across many sessions, and their
 * total cost is the sum of these records, not the last invocation's wall time.
 * The file is sealed JSON written atomically, like the checkpoints.
 */
export class InvocationLog {
  private computed = 0;
  private finished = false;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closedRecord: InvocationRecord | undefined;

  private constructor(
    private readonly path: string,
    private readonly earlier: InvocationRecord[],
    private readonly startedAt: Date,
    private readonly startedMs: number,
    private readonly startedCpu: NodeJS.CpuUsage,
    private readonly argv: readonly string[],
  ) {}

  /** Open the ledger of one configuration (`<directory>/invocations/<fingerprint prefix>.json`) and start this invocation's record. */
  static async open(directory: string, fingerprint: string, argv: readonly string[] = process.argv.slice(1)): Promise<InvocationLog> {
    const path = join(directory, "invocations", `${fingerprint.slice(0, 16)}.json`);
    const earlier = (await readSealedJson<InvocationRecord[]>(path)) ?? [];
    const log = new InvocationLog(path, earlier, new Date(), performance.now(), process.cpuUsage(), argv);
    await log.write();
    log.timer = setInterval(() => void log.write(), HEARTBEAT_MS);
    log.timer.unref();
    return log;
  }

  /** Count one computed item. */
  itemComputed(): void {
    this.computed++;
  }

  /** Append the records of another ledger file (a shard's), marked with where they came from; none when it does not exist. */
  async importFrom(directory: string, fingerprint: string): Promise<void> {
    const records = await readSealedJson<InvocationRecord[]>(join(directory, "invocations", `${fingerprint.slice(0, 16)}.json`));
    // A merge run twice imports the same shards twice: a record is identified by its machine, start time and command
    // line (shard processes launched together can start in the same millisecond).
    const identity = (r: InvocationRecord) => `${r.machine.host}@${r.startedAt} ${r.argv.join(" ")}`;
    const known = new Set(this.earlier.map(identity));
    for (const record of records ?? []) {
      if (known.has(identity(record))) continue;
      this.earlier.push({ ...record, importedFrom: record.importedFrom ?? directory });
    }
    await this.write();
  }

  /** This invocation's record as of now; after {@link close}, as it was closed. */
  current(): InvocationRecord {
    if (this.closedRecord) return this.closedRecord;
    const cpu = process.cpuUsage(this.startedCpu);
    const cpuList = cpus();
    return {
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      wallSeconds: (performance.now() - this.startedMs) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      itemsComputed: this.computed,
      finished: this.finished,
      ...(this.closing ? { closed: true } : {}),
      argv: this.argv,
      machine: { host: hostname(), cores: cpuList.length, cpu: cpuList[0]?.model ?? "unknown" },
    };
  }

  /** Every record of this configuration, this invocation's last. */
  records(): InvocationRecord[] {
    return [...this.earlier, this.current()];
  }

  /** Sums over {@link records}. */
  totals(): InvocationTotals {
    return sum(this.records());
  }

  /**
   * {@link totals} per `--dataset` of the invocations' command lines ({@link invocationDataset}): the ledger is per
   * configuration, and a configuration covers every dataset, so this is how one dataset's cost is read when the
   * datasets were run one after the other.
   */
  totalsByDataset(): Record<string, InvocationTotals> {
    const groups: Record<string, InvocationRecord[]> = {};
    for (const record of this.records()) (groups[invocationDataset(record)] ??= []).push(record);
    return Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b)).map(([key, records]) => [key, sum(records)]));
  }

  /** Stop the heartbeat and write the final record (`finished` as given; `closed`: exact, not a heartbeat's). */
  async close(finished: boolean): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.finished = finished;
    this.closing = true;
    this.closedRecord = this.current();
    await this.write();
  }

  private write(): Promise<void> {
    // Writes are chained so a heartbeat never races the final write.
    this.writing = this.writing.then(() => writeSealedJson(this.path, this.records(), 1));
    return this.writing;
  }
}

/**
 * Which dataset an invocation worked on: the value of its `--dataset` option; `"merge"` for `reproduce merge`
 * (which computes no items), `"all"` for a run without `--dataset` (every dataset of the configuration).
 */
export function invocationDataset(record: Pick<InvocationRecord, "argv">): string {
  const { argv } = record;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--dataset" && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith("--dataset=")) return argv[i].slice("--dataset=".length);
  }
  return argv.includes("merge") ? "merge" : "all";
}

function sum(records: readonly InvocationRecord[]): InvocationTotals {
  return {
    invocations: records.length,
    wallSeconds: records.reduce((s, r) => s + r.wallSeconds, 0),
    cpuSeconds: records.reduce((s, r) => s + r.cpuSeconds, 0),
    itemsComputed: records.reduce((s, r) => s + r.itemsComputed, 0),
  };
}
