// Node adapter: a pool of worker_threads behind the platform-neutral coordinator.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Runner, WorkerLike } from "./api.js";
import { WorkerPool } from "./pool.js";

// The worker script next to this module: run from the sources (tests, bench) that is the shim
// wasm-runtime/node-worker.mjs, which loads node-worker.ts through tsx; in the `kara` build
// (cli/build.mjs) it is dist-cli/node-worker.mjs, the worker built into plain JavaScript.
const ENTRY = new URL("./node-worker.mjs", import.meta.url);

function nodeWorker(): WorkerLike {
  // Deep recursion through join → task → join needs more than the default 4 MB of stack.
  const worker = new Worker(ENTRY, { resourceLimits: { stackSizeMb: 16 } });
  // An idle pool must not keep the process alive; a run keeps it alive with its own timers.
  worker.unref();
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (handler) => void worker.on("message", handler),
    onError: (handler) => {
      worker.on("error", handler);
      worker.on("exit", (code) => {
        if (code !== 0) handler(new Error(`worker exited with code ${code}`));
      });
    },
    terminate: () => void worker.terminate(),
  };
}

export function defaultPoolSize(): number {
  return availableParallelism();
}

/** A runner whose workers are worker_threads, all spawned now. */
export function createNodeRunner(size: number = defaultPoolSize()): Runner {
  return new WorkerPool(nodeWorker, size, "parallel");
}
