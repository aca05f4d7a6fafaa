import { readFileSync } from "node:fs";
import { compile } from "../../compile.js";
import { runWasm } from "./host.js";
for (const f of process.argv.slice(2)) {
  const r = await compile(readFileSync(f, "utf8"), { fileName: f.split("/").pop() });
  console.log("===", f, r.ok, r.diagnostics.map(d => d.code + " " + d.message).join("; "), r.timings.map(t => t.phase + ":" + t.ms.toFixed(0)).join(" "));
  if (r.wasm) { const x = runWasm(r.wasm); process.stdout.write(x.stdout); console.log("tasks", x.tasksRun); }
}
