import os from "node:os";

/** One line describing where a benchmark ran (CPU, cores, Node version, load average). */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  return `${cpu} · ${os.cpus().length} cores · Node ${process.version} · load ${load}`;
}
