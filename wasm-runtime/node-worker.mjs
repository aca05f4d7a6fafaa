// worker_threads entry: the worker code is TypeScript, so register tsx in this thread first.
import { register } from "tsx/esm/api";

register();
await import("./node-worker.ts");
