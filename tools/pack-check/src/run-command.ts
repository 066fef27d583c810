import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { delimiter, isAbsolute, resolve } from "node:path";

/** What {@link runCommand} returns: the exit status (null when killed) and stdout + stderr together. */
export interface CommandResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly output: string;
}

/** npm_config_* variables that say how to reach a registry: kept for the scratch projects. */
const CONNECTION =
  /^npm_config_(registry|@[^:]+:registry|cafile|ca|cert|key|proxy|https?_proxy|no_?proxy|strict_ssl|userconfig|globalconfig|cache|store_dir|nodedir)$/i;

/**
 * The environment of this process without what `pnpm <script>` adds for the repository: NODE_PATH (which would let
 * a scratch project resolve packages from the repository's node_modules/.pnpm), the repository's
 * node_modules/.bin folders on PATH, the npm_* / PNPM_* variables of the running script and the repository's
 * .npmrc settings that pnpm passes on as npm_config_*. Registry, proxy and certificate settings stay.
 */
export function outsideEnvironment(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_PATH" || key === "INIT_CWD" || key.startsWith("PNPM_")) continue;
    if (/^npm_/i.test(key) && !CONNECTION.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => isAbsolute(dir) && !resolve(dir).startsWith(root))
    .join(delimiter);
  return env;
}

/**
 * Run `command args…` in `cwd`, wait for it, append the command line and its whole output to `log`, and return
 * the output. Never throws for a failing command: the caller decides what a non-zero status means.
 *
 * @param env - the environment (default: this process's).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  log: string,
  env: NodeJS.ProcessEnv = process.env,
): CommandResult {
  const line = `$ (cd ${cwd} && ${[command, ...args].join(" ")})`;
  const result = spawnSync(command, args, {
    cwd,
    env: { ...env, NO_COLOR: "1", FORCE_COLOR: "0" },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${String(result.error)}` : ""}`;
  appendFileSync(log, `${line}\n${output}\n[exit ${result.status ?? result.signal}]\n\n`);
  return { ok: result.status === 0, status: result.status, output };
}

/** The last `lines` lines of `text`, indented, for a failure report. */
export function tail(text: string, lines = 25): string {
  return text
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `      ${l}`)
    .join("\n");
}
