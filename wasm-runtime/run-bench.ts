// Scheduling-cost and speed-up figures of the runtime alone, on hand-written ABI modules:
//   npx tsx wasm-runtime/run-bench.ts [workers]

import { formatResults, runtimeBenchmarks } from "./bench.js";
import { createNodeRunner, defaultPoolSize } from "./node.js";

const workers = Number(process.argv[2]) || defaultPoolSize();
const runner = createNodeRunner(workers);
try {
  console.log(formatResults(await runtimeBenchmarks(runner)));
} finally {
  runner.dispose();
}
