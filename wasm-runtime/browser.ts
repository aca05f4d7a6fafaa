// Browser adapter: a pool of module Web Workers behind the platform-neutral coordinator.
// Without cross-origin isolation a shared memory cannot be posted to a worker, so the runner
// falls back to one worker that owns the memory and runs everything sequentially.

import type { Runner, WorkerLike } from "./api.js";
import { PLATFORM_MAX_PAGES } from "./memory-limits.js";
import { WorkerPool } from "./pool.js";

/** True when a shared WebAssembly.Memory can be posted to workers (COOP/COEP are in place). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

function webWorker(): WorkerLike {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener("message", (e) => handler(e.data)),
    onError: (handler) => {
      worker.addEventListener("error", (e) => handler(new Error(e.message || "worker failed to load")));
      worker.addEventListener("messageerror", () => handler(new Error("a message could not be delivered to a worker")));
    },
    terminate: () => worker.terminate(),
  };
}

export function defaultPoolSize(): number {
  return Math.max(1, navigator.hardwareConcurrency || 4);
}

/**
 * A runner whose workers are all spawned now (never on the hot path). `mode` tells whether it
 * runs in parallel or sequentially for lack of cross-origin isolation.
 */
export function createBrowserRunner(size: number = defaultPoolSize()): Runner {
  return new WorkerPool(webWorker, size, canShareMemory() ? "parallel" : "sequential", PLATFORM_MAX_PAGES.browser);
}
