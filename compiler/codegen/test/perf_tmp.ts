import { readFileSync } from "node:fs";
import { build, runWasm } from "./pipeline.js";
const src = readFileSync(process.argv[2], "utf8");
for (const o of [0, 2]) {
  const w = build(src, { optimize: o });
  for (let k = 0; k < 2; k++) { const t0 = performance.now(); const r = runWasm(w); console.log("O" + o, r.stdout.trim(), (performance.now() - t0).toFixed(0) + "ms"); }
}
