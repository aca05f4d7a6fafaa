import { parse } from "./compiler/syntax/parser.ts";
import { check } from "./compiler/check/index.ts";
const stmts = ["let evens = v.iter().filter(|x| x % 2 == 0).map(|x| x * 10).collect();","let s = v.iter().sum();","let any = v.iter().any(|x| x > 7);","let pos = v.iter().position(|x| x == 1);","let prod = v.iter().fold(1, |acc, x| acc * x);","let n = (1..=4).sum();",'let c = "abc".chars().count();',"let f = v.iter().find(|x| x > 5);"];
for (const s of stmts) {
  const r = check(parse(`fn main() { let v = [3, 8, 1, 6];\n${s}\n}`, "x.kara").program);
  console.log(s, r.diagnostics.map((d) => d.message.slice(0, 120)));
}
