import { readFileSync } from "node:fs";
import { run } from "./pipeline.js";
for (const f of process.argv.slice(2)) {
  console.log("=== " + f);
  try {
    const r = run(readFileSync(f, "utf8"), { fileName: f.split("/").pop() });
    process.stdout.write(r.stdout);
    if (r.stderr) process.stdout.write("[stderr] " + r.stderr);
    console.log("exit", r.exitCode);
  } catch (e) { console.log("ERR", (e as Error).message.slice(0, 600)); }
}
