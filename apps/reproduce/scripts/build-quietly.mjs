// Build the reproduce app and the packages it needs before `pnpm reproduce` runs it. turbo prints its banner, the
// packages in scope and a task summary even with --output-logs=errors-only, which buried the first progress lines
// of the run; this keeps all of turbo's output and prints it only when the build fails.
import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

// The repository's own turbo, also when the script is run directly rather than through `pnpm reproduce`.
const root = fileURLToPath(new URL("../../..", import.meta.url));
const path = [join(root, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter);

const result = spawnSync("turbo", ["run", "build", "--filter=@smoothhess/reproduce...", "--output-logs=errors-only"], {
  cwd: root,
  env: { ...process.env, PATH: path },
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  shell: process.platform === "win32",
});
if (result.error || result.status !== 0) {
  process.stderr.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (result.error) process.stderr.write(`smoothhess-reproduce: the build could not start: ${result.error.message}\n`);
  process.stderr.write("smoothhess-reproduce: the build failed (turbo's output above)\n");
  process.exit(result.status ?? 1);
}
