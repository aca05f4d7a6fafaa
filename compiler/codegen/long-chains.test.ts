import { it } from "vitest";
import { run } from "./test/pipeline.js";
const N = Number(process.env.N ?? 20000);
const progs: Record<string,string> = {
  and: `fn main() { let x = 3; let v = ${Array.from({length:N},(_,i)=>`x != ${i+10}`).join(" and ")}; println(v); }`,
  sum: `fn main() { let x = 1; let v = ${Array.from({length:N},()=>"x").join(" + ")}; println(v); }`,
  str: `fn main() { let v = ${Array.from({length:N},()=>'"s"').join(" + ")}; println(v.len()); }`,
};
for (const [k, src] of Object.entries(progs)) it(k, () => { try { const r = run(src); console.log(k, JSON.stringify(r).slice(0,300)); } catch (e) { console.log(k, "ERR", String(e).slice(0,500), (e as Error).stack?.slice(0,1500)); } }, 120000);
