// Injected into the CommonJS build only (see tsup.config.ts), where tsup maps `import.meta.url` to this value: the
// file URL of the bundle itself, which `KernelWorkerPool` needs to find the worker module beside it.
import { pathToFileURL } from "node:url";

export const importMetaUrl: string = pathToFileURL(__filename).href;
