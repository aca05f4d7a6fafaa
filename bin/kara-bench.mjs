#!/usr/bin/env node
// `npm run bench`: runtime benchmarks and, when the compiler is available, the example
// programs on 1 versus N workers. Writes bench/results.json.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/bench.ts");
process.exitCode = await main(process.argv.slice(2));
