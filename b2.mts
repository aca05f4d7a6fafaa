import { createNodeRunner } from "/work/main/wasm-runtime/node.js";
import { fibProgram } from "/work/main/wasm-runtime/testing/programs.js";
const r = createNodeRunner(2);
const wasm = fibProgram(20);
for (const w of [1, 2, 1, 2, 1, 2]) {
  const ts: number[] = [];
  for (let i = 0; i < 9; i++) ts.push((await r.run({ wasm, workers: w })).wallMs);
  console.log(w, ts.map((t) => t.toFixed(1)).join(" "));
}
r.dispose();
