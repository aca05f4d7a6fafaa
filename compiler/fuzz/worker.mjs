// worker_threads entry of the fuzz harness: the oracle is TypeScript, so register tsx first.
import { register } from "tsx/esm/api";

// Binaryen's validator prints every error of an invalid module (thousands of lines); the oracle
// already reports the failure, so this thread's console stays quiet. Set before Binaryen loads,
// which binds its printer at start-up.
console.error = () => {};
console.warn = () => {};
register();
await import("./worker.ts");
