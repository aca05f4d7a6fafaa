import { readFileSync } from "node:fs";
import { compileSource } from "./pipeline.js";
import { createNodeRunner } from "../../../wasm-runtime/node.js";
const runner = createNodeRunner(4);
for (const f of process.argv.slice(2)) {
  const g = compileSource(readFileSync(f, "utf8"), { fileName: f.split("/").pop(), optimize: Number(process.env.OPT ?? 0) });
  let out = "";
  const r = await runner.run({ wasm: g.wasm!, workers: 4, trace: true, onOutput: (fd, t) => { out += (fd === 2 ? "[e]" : "") + t; } });
  console.log("===", f, r.status, r.exitCode, r.message ?? "", r.wallMs.toFixed(0) + "ms", "tasks", r.trace?.tasks.map(t => `${t.kind}@w${t.worker}${t.stolen ? "S" : ""}`).join(","));
  process.stdout.write(out);
}
runner.dispose();
