import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockOutputDirectory } from "./output-lock.js";

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

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "smoothhess-cli-"));
  await writeFile(join(scratch, "a-file"), "x");
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function expectOneLine(stderr: string): void {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("CLI", () => {
  it("prints help with every experiment and the exit codes", async () => {
    const { code, stdout } = await invoke("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: smoothhess-reproduce");
    expect(stdout).toContain("--quick");
    expect(stdout).toContain("2 usage error");
    expect(stdout).toContain("--shard <k/N>");
    expect(stdout).toContain("3 merge finished but a later stage needs another round");
  });

  it.each([
    [["no-such-experiment"], /unknown experiment "no-such-experiment"/],
    [["all", "--points", "0"], /--points must be an integer ≥ 1/],
    [["all", "--quick", "--full"], /--quick and --full exclude each other/],
    [["all", "--bogus"], /unknown option '--bogus'/],
    [["all", "--backend", "bogus"], /--backend must be one of wasm, cpu, tensorflow, got "bogus"/],
    [["four-quadrant", "--samples", "3"], /--samples must be even/],
    [["pmse", "--engine", "torch"], /--engine must be one of onnx, tfjs, got "torch"/],
    [["nested", "--model", "authors"], /--model authors: the authors released checkpoints for four-quadrant, pmse, attack only, not for nested/],
    [["nested", "--dataset", "mnist"], /--dataset selects datasets of pmse, attack; nested does not take it/],
    [["nested", "--test-points", "first"], /--test-points chooses the test points of pmse, attack; nested does not take it/],
    [["attack", "--test-points", "first"], /--test-points first explains the first images of the official test set, which the embedded Fashion-MNIST .* does not mark/],
    [["four-quadrant", "--seed", ""], /--seed must be an integer ≥ 0, got ""/],
    [["four-quadrant", "--out", ""], /--out must not be empty/],
    [["four-quadrant", "--data-dir", "/no/such/directory"], /--data-dir "\/no\/such\/directory" does not exist or is not a directory/],
    [["four-quadrant", "--shard", "2/2"], /--shard 2\/2: the shard index must satisfy 0 ≤ k < 2, got 2/],
    [["four-quadrant", "--from", "somewhere"], /--from continues a shard round .* needs --shard/],
    [["four-quadrant", "--shard", "0/2", "--from", "/no/such/merge"], /--from "\/no\/such\/merge" does not exist or is not a directory/],
    [["four-quadrant", "extra"], /unexpected argument "extra" \(only merge takes directories\)/],
    [["merge"], /merge needs the output directories of the shards/],
    [["merge", "/no/such/shard"], /\/no\/such\/shard is not a shard's output directory/],
    [["merge", "/no/such/shard", "--seed", "1"], /merge takes its options from the shards' records; remove --seed/],
    [["merge", "/no/such/shard", "--engine", "tfjs", "--model", "authors"], /merge takes its options from the shards' records; remove --engine, --model/],
    [["merge", "/no/such/shard", "--test-points", "first"], /merge takes its options from the shards' records; remove --test-points/],
  ])("%j → one line on stderr, exit code 2, no stack trace", async (args, message) => {
    const { code, stderr } = await invoke(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expectOneLine(stderr);
  });

  it("--out that is a file, under a file, or not writable → exit 2 before any work", async () => {
    const file = join(scratch, "a-file");
    const cases: [string, RegExp][] = [
      [file, /is a file, not a directory/],
      [join(file, "sub"), /cannot be created: .*a-file is a file/],
      ["/sys/smoothhess-out", /cannot be created \(permission denied or read-only file system\)/],
    ];
    if (process.getuid?.() !== 0) {
      const readOnly = join(scratch, "read-only");
      await mkdir(readOnly);
      await chmod(readOnly, 0o555);
      cases.push([join(readOnly, "out"), /cannot be created \(permission denied/], [readOnly, /is not writable/]);
    }
    for (const [out, message] of cases) {
      const { code, stderr } = await invoke("four-quadrant", "--quiet", "--out", out);
      expect(code, out).toBe(2);
      expect(stderr, out).toMatch(message);
      expectOneLine(stderr);
    }
  });

  it("--backend tensorflow without @tensorflow/tfjs-node → exit 2 naming the package, nothing written", async () => {
    const out = join(scratch, "tf");
    const { code, stderr } = await invoke("four-quadrant", "--quiet", "--backend", "tensorflow", "--out", out);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^smoothhess-reproduce: --backend tensorflow: .*@tensorflow\/tfjs-node/);
    expectOneLine(stderr);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/); // not even --out was created
  });

  it("a second run on a locked --out is refused with exit 2", async () => {
    const out = join(scratch, "locked");
    await mkdir(out);
    const release = await lockOutputDirectory(out);
    try {
      const { code, stderr } = await invoke("four-quadrant", "--quiet", "--out", out);
      expect(code).toBe(2);
      expect(stderr).toMatch(/is in use by another smoothhess-reproduce run/);
      expectOneLine(stderr);
    } finally {
      await release();
    }
  });

  it("a runtime failure (after the wasm backend is loaded) → one line naming a log with the stack, exit 1, not 7", async () => {
    const out = join(scratch, "broken");
    await mkdir(join(out, "four-quadrant"), { recursive: true });
    await writeFile(join(out, "four-quadrant", "checkpoints"), "a file where a folder belongs");
    const { code, stderr } = await invoke("four-quadrant", "--quiet", "--out", out);
    expect(code).toBe(1);
    const log = join(out, "smoothhess-reproduce-error.log");
    expect(stderr).toMatch(/^smoothhess-reproduce: .*(ENOTDIR|EEXIST).* \(stack trace in .*smoothhess-reproduce-error\.log\)\n$/);
    expect(stderr).toContain(log);
    expectOneLine(stderr);
    expect(await readFile(log, "utf8")).toMatch(/\n\s+at /);
  });
});
