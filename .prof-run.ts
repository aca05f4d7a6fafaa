import { generateLongFunction } from "./bench/long-function.ts";
import { parse } from "./compiler/syntax/parser.ts";
import { check } from "./compiler/check/index.ts";
const n = Number(process.argv[2] ?? 30000);
const src = generateLongFunction(n);
const p = parse(src, "x.kara") as any;
const t0 = performance.now();
const r = check(p.program ?? p);
console.log(n, "check ms", (performance.now() - t0).toFixed(0), r.diagnostics.length);
