import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

it("without any registered backend, the package's entry points throw NoBackendError naming themselves", async () => {
  // A fresh process that loads only this package (tfjs-core registers no backend), as a user's first script would;
  // in this test process backends are registered already. CommonJS, because Node's ESM loader cannot take
  // tfjs-core's ESM build (see the repository's NOTES on tfjs pitfalls).
  const script = `
    const api = require(${JSON.stringify(join(here, "index.ts"))});
    const calls = {
      mlp: () => api.paperMnistMlp(0),
      tfjsOuterProductKernel: () => api.tfjsOuterProductKernel(),
      fromFunction: () => api.fromFunction((x) => x, { output: 0 }, { inputShape: [2] }),
    };
    const out = {};
    for (const [name, call] of Object.entries(calls)) {
      try { call(); out[name] = "no error"; }
      catch (e) { out[name] = { name: e.name, code: e.code, caller: e.caller, typed: e instanceof api.NoBackendError, message: e.message }; }
    }
    console.log(JSON.stringify(out));`;
  const env = { ...process.env };
  delete env.NODE_PATH;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=commonjs", "-e", script], { env, cwd: here });
  const out = JSON.parse(stdout) as Record<string, { name: string; code: string; caller: string; typed: boolean; message: string }>;
  for (const caller of ["mlp", "tfjsOuterProductKernel", "fromFunction"]) {
    expect(out[caller]).toMatchObject({ name: "NoBackendError", code: "no-backend", caller, typed: true });
    expect(out[caller].message).toContain('useBackend("wasm")');
  }
}, 60_000);
