import { InvalidArgumentError, SmoothHessError } from "@smoothhess/errors";

/** A backend name that this package does not know (known: `wasm`, `cpu`, `webgl`, `webgpu`, `tensorflow`). */
export class UnknownBackendError extends InvalidArgumentError {
  constructor(argument: string, received: unknown) {
    super(argument, 'one of "wasm", "cpu", "webgl", "webgpu", "tensorflow"', received, "unknown-backend");
  }
}

/**
 * A known backend could not be loaded or initialised: its npm package is not installed (e.g.
 * `@tensorflow/tfjs-node`, an optional peer dependency), or the platform cannot run it (WebGL in Node).
 * `packages` lists what to install; `cause` carries the underlying failure.
 */
export class BackendUnavailableError extends SmoothHessError {
  /** The backend that was asked for. */
  readonly backend: string;
  /** npm packages that provide it. */
  readonly packages: readonly string[];

  constructor(backend: string, packages: readonly string[], detail: string, cause?: unknown) {
    super(
      "backend-unavailable",
      `backend "${backend}" is not available: ${detail}. Install ${packages.map((p) => `\`${p}\``).join(" or ")} ` +
        `(an optional peer dependency of @smoothhess/tfjs) or choose another backend`,
      { cause },
    );
    this.backend = backend;
    this.packages = packages;
  }
}

/**
 * No tfjs backend is registered, so no tensor can be made. `@tensorflow/tfjs-core` alone has none; tfjs itself would
 * fail later with "No backend found in registry" from deep inside the first tensor operation. `caller` is the
 * function of this package that needed one.
 */
export class NoBackendError extends SmoothHessError {
  /** The function that needed a backend, e.g. `"mlp"`. */
  readonly caller: string;

  constructor(caller: string) {
    super(
      "no-backend",
      `${caller} needs a tfjs backend and none is registered: first \`await useBackend("wasm")\` (Node; "cpu" anywhere, ` +
        `"webgl" in a browser) from @smoothhess/tfjs, or import a backend package such as @tensorflow/tfjs-backend-wasm`,
    );
    this.caller = caller;
  }
}
