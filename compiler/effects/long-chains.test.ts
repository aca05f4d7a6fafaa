// Operator chains tens of thousands of terms long pass the whole front end: the checker, the effect
// phase and automatic parallelisation all walk left-deep chains without a stack frame per operator.

import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
import { analyzeEffects } from "./index.js";
import { analyze, inferredOf } from "./testing.js";
import { parallelize } from "../concurrency/index.js";

const chain = (operand: string, op: string, n: number): string => Array(n).fill(operand).join(` ${op} `);

/** Every diagnostic of `kara check` (parse, check, effects, concurrency), as `code message`. */
function checkAll(src: string): string[] {
  const p = parse(src, "chain.kara");
  const c = check(p.program);
  const out = [...p.diagnostics, ...c.diagnostics];
  if (c.program) {
    const effects = analyzeEffects(c.program);
    out.push(...effects.diagnostics);
    const par = parallelize(c.program, effects, { autoPar: true });
    expect(par.reportFor("main")).toBeDefined();
  } else {
    out.push({ code: "NO-PROGRAM", message: "the checker produced no program" } as (typeof out)[number]);
  }
  return out.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

describe("20 000-term chains through effects and concurrency", () => {
  it("an integer sum", () => {
    expect(checkAll(`fn main() { let a = 1; let x = ${chain("a", "+", 20000)}; println(x); }`)).toEqual([]);
  });

  it("an `and` chain", () => {
    expect(checkAll(`fn main() { let a = true; let x = ${chain("a", "and", 20000)}; println(x); }`)).toEqual([]);
  });

  it("a string concatenation", () => {
    expect(checkAll(`fn main() { let a = "s"; let x = ${chain("a", "+", 20000)}; println(x.len()); }`)).toEqual([]);
  });

  it("a chain whose terms call a panicking function passes the panic on to the caller", () => {
    const a = analyze(`fn half(x: i64) -> i64 { 10 / x }\nfn main() { let a = 1; let x = ${chain("half(a)", "+", 20000)}; println(x); }`);
    expect(a.result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(inferredOf(a, "main")).toContain("panics");
  });
});
