import { readFileSync } from "node:fs";
import { run } from "./pipeline.js";
const src = readFileSync(process.argv[2], "utf8");
for (const o of [0, 1, 2, 3]) { const r = run(src, { optimize: o }); console.log(o, JSON.stringify(r.stdout)); }
