import * as tf from "@tensorflow/tfjs-core";
import { BackendUnavailableError, NoBackendError, UnknownBackendError } from "./backend-errors.js";

/** The tfjs backends this package can select. */
export type BackendName = "wasm" | "cpu" | "webgl" | "webgpu" | "tensorflow";

const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgl", "webgpu", "tensorflow"];

/** True when running under Node.js (not a browser or a web worker). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/**
 * The backend {@link useBackend} picks when none is named: `wasm` in Node (XNNPACK with SIMD, faster than `cpu`
 * for these models), `webgpu` in a browser that exposes `navigator.gpu`, otherwise `webgl`.
 */
export function defaultBackendName(): BackendName {
  if (isNode()) return "wasm";
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  return nav?.gpu ? "webgpu" : "webgl";
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * When the chosen backend cannot be loaded, fall back to `cpu` (always available where
   * `@tensorflow/tfjs-backend-cpu` is installed) instead of throwing. Default `false` for a backend named
   * explicitly, `true` when `name` is omitted.
   */
  readonly fallbackToCpu?: boolean;
  /**
   * For `tensorflow`: which binding to load. Default: `@tensorflow/tfjs-node-gpu` if installed, else
   * `@tensorflow/tfjs-node`.
   */
  readonly nodePackage?: "@tensorflow/tfjs-node" | "@tensorflow/tfjs-node-gpu";
}

// Optional peers are imported through a variable so that bundlers and TypeScript do not require them.
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

const PACKAGES: Record<BackendName, readonly string[]> = {
  wasm: ["@tensorflow/tfjs-backend-wasm"],
  cpu: ["@tensorflow/tfjs-backend-cpu"],
  webgl: ["@tensorflow/tfjs-backend-webgl"],
  webgpu: ["@tensorflow/tfjs-backend-webgpu"],
  tensorflow: ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
};

async function loadBackendPackage(name: BackendName, options: UseBackendOptions): Promise<void> {
  if (name === "tensorflow") {
    const candidates = options.nodePackage ? [options.nodePackage] : ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];
    let lastError: unknown;
    for (const specifier of candidates) {
      try {
        await importOptional(specifier);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw new BackendUnavailableError(name, candidates, `none of ${candidates.join(", ")} could be imported`, lastError);
  }
  if (name === "wasm" || name === "cpu") {
    try {
      await importOptional(PACKAGES[name][0]);
    } catch (error) {
      throw new BackendUnavailableError(name, PACKAGES[name], `${PACKAGES[name][0]} could not be imported`, error);
    }
    return;
  }
  if (isNode()) {
    throw new BackendUnavailableError(name, PACKAGES[name], `${name} needs a browser; in Node use "wasm" or "tensorflow"`);
  }
  try {
    await importOptional(PACKAGES[name][0]);
  } catch (error) {
    throw new BackendUnavailableError(name, PACKAGES[name], `${PACKAGES[name][0]} could not be imported`, error);
  }
}

async function activate(name: BackendName, options: UseBackendOptions): Promise<void> {
  // A backend the app registered itself (`import "@tensorflow/tfjs-backend-webgl"`, as a bundled app must: bundlers
  // cannot follow the variable specifier below) is used as it is, without importing its package again.
  if (tf.findBackendFactory(name) === null) await loadBackendPackage(name, options);
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    cause = error;
  }
  if (!ok || tf.getBackend() !== name) {
    throw new BackendUnavailableError(name, PACKAGES[name], "it is registered but failed to initialise", cause);
  }
}

/**
 * Load (by dynamic import) and activate a tfjs backend; resolves to the name of the backend now in use.
 *
 * - `wasm` (default in Node): `@tensorflow/tfjs-backend-wasm`, whose `.wasm` ships in the npm package.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, pure JS, the fallback.
 * - `webgl` / `webgpu`: browsers only (`@tensorflow/tfjs-backend-webgl` / `-webgpu`, optional peers).
 * - `tensorflow`: libtensorflow through `@tensorflow/tfjs-node` or `@tensorflow/tfjs-node-gpu` (optional peers
 *   whose install downloads native binaries; not needed by anything else in this package).
 *
 * @throws {@link UnknownBackendError} for any other name; {@link BackendUnavailableError} when the package is not
 *   installed or the backend does not initialise (unless `fallbackToCpu`).
 *
 * In a bundled app (Vite, esbuild, webpack) import the backend package yourself first — `import
 * "@tensorflow/tfjs-backend-webgl"` — so the bundler includes it; `useBackend` then activates the registered backend
 * without importing anything.
 *
 * @example
 * ```ts
 * await useBackend();            // "wasm" in Node
 * await useBackend("cpu");
 * ```
 */
export async function useBackend(name?: BackendName, options: UseBackendOptions = {}): Promise<BackendName> {
  if (name !== undefined && !BACKENDS.includes(name)) throw new UnknownBackendError("name", name);
  const chosen = name ?? defaultBackendName();
  const fallback = options.fallbackToCpu ?? name === undefined;
  try {
    await activate(chosen, options);
    return chosen;
  } catch (error) {
    if (!fallback || chosen === "cpu") throw error;
    await activate("cpu", options);
    return "cpu";
  }
}

/**
 * Throw {@link NoBackendError} naming `caller` when no tfjs backend is registered (a tensor operation would fail with
 * tfjs's own untyped error). A registered backend that is not yet initialised is fine: tfjs initialises it on first use.
 */
export function requireBackend(caller: string): void {
  if (Object.keys(tf.engine().registryFactory).length === 0) throw new NoBackendError(caller);
}
