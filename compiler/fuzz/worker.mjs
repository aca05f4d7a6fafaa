// worker_threads entry of the fuzz harness: the oracle is TypeScript, so register tsx first.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
