// worker_threads entry when the runtime runs from its TypeScript sources (tests, bench): register
// tsx in this thread first. The `kara` command never loads this file; its build starts
// dist-cli/node-worker.mjs, the same worker as plain JavaScript (see wasm-runtime/node.ts).
import { register } from "tsx/esm/api";

register();
await import("./node-worker.ts");
