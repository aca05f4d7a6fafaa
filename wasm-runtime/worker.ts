// Web Worker side of the pool: adapts the worker global scope to the platform-neutral worker.
// Loaded by browser.ts as `new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })`.

import { executeRun } from "./worker-core.js";
import type { RunMessage, WorkerMessage } from "./protocol.js";

const scope = self as unknown as {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<RunMessage>) => void) | null;
};

scope.onmessage = (event) => {
  const m = event.data;
  if (m && m.type === "run") executeRun(m, { post: (msg) => scope.postMessage(msg) });
};
scope.postMessage({ type: "ready" });
