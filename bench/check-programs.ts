// Compiles every program in bench/programs (with and without auto-par) and runs it on 1 and 2
// workers, checking the output. `npx tsx bench/check-programs.ts`
import { readdir } from "node:fs/promises";
import { createNodeRunner } from "../wasm-runtime/node.js";
import { compileProgram, ROOT, timeRun } from "./kara.js";
import { expectedOutput } from "./kernels.js";

const names = (await readdir(ROOT + "bench/programs")).filter((f) => f.endsWith(".kara")).map((f) => f.slice(0, -5)).sort();
const only = process.argv.slice(2);
const runner = createNodeRunner(2);
let failures = 0;
try {
  for (const name of names.filter((n) => only.length === 0 || only.includes(n))) {
    for (const autoPar of [true, false]) {
      try {
        const wasm = await compileProgram(name, autoPar);
        for (const w of [1, 2]) {
          const ms = await timeRun(runner, wasm, w, expectedOutput(name), name);
          console.log(`ok   ${name.padEnd(20)} autoPar=${autoPar ? "on " : "off"} workers=${w} ${ms.toFixed(1)} ms`);
        }
      } catch (e) {
        failures++;
        console.log(`FAIL ${name} autoPar=${autoPar}: ${(e as Error).message}`);
      }
    }
  }
} finally {
  runner.dispose();
}
process.exitCode = failures ? 1 : 0;
