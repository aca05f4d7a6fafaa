// Node worker_threads side of the pool: adapts parentPort to the platform-neutral worker.

import { parentPort } from "node:worker_threads";
import { threadCpuClock, threadRunningClock } from "./thread-clock.js";
import { executeRun } from "./worker-core.js";
import type { RunMessage, WorkerMessage } from "./protocol.js";

const port = parentPort;
if (!port) throw new Error("node-worker must run inside worker_threads");

port.on("message", (m: RunMessage) => {
  if (m.type === "run") executeRun(m, { post: (msg: WorkerMessage) => port.postMessage(msg), profileClock: m.profile ? (threadCpuClock() ?? threadRunningClock()) : undefined });
});
port.postMessage({ type: "ready" } satisfies WorkerMessage);
