import { readFileSync } from "node:fs";
import { compileSource } from "./pipeline.js";
const src = readFileSync(process.argv[2], "utf8");
const g = compileSource(src, { optimize: Number(process.argv[3]), emitText: true });
const w = g.wat!; const i = w.indexOf(process.argv[4]); console.log(w.slice(i, i + 3000));
