import { readFileSync } from "node:fs";
import { parse } from "../../syntax/parser.js";
import { check } from "../../check/index.js";
import { generate } from "../index.js";
const src = readFileSync(process.argv[2], "utf8");
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const p = parse(src, "x.kara");
  const t1 = performance.now();
  const c = check(p.program);
  const t2 = performance.now();
  const g = generate(c.program!, { fileName: "x.kara" });
  const t3 = performance.now();
  console.log(`parse ${(t1-t0).toFixed(1)} check ${(t2-t1).toFixed(1)} gen ${(t3-t2).toFixed(1)} size ${g.wasm?.length}`);
}
