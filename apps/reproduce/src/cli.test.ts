import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

async function invoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", cli, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("CLI", () => {
  it("prints help with every experiment", async () => {
    const { code, stdout } = await invoke("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: smoothhess-reproduce");
    expect(stdout).toContain("--quick");
  });

  it.each([
    [["no-such-experiment"], /unknown experiment "no-such-experiment"/],
    [["all", "--points", "0"], /--points must be an integer ≥ 1/],
    [["all", "--quick", "--full"], /--quick and --full exclude each other/],
    [["all", "--bogus"], /unknown option '--bogus'/],
  ])("%j → one line on stderr, exit code 2, no stack trace", async (args, message) => {
    const { code, stderr } = await invoke(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
