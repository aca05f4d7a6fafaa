import { describe, expect, it } from "vitest";
import { reportOf } from "./testutil.js";

const reductions = (src: string, fn = "f", autoPar = true) => reportOf(src, fn, autoPar).loop_reductions;

describe("loop reductions", () => {
  it("finds a large integer sum and passes the fan-out gate", () => {
    const src = `
fn f() -> i64 {
    let mut s = 0;
    for i in 0..1000000 {
        s += i * i % 7;
    }
    s
}
fn main() { println(f()); }
`;
    expect(reductions(src)).toEqual([
      {
        statement: 1,
        loop_line: 4,
        accumulator: "s",
        op: "+",
        lowering: "sequential",
        collect_tabulate: false,
        fanned_out: false,
        cost_gate: "fanout",
        reason: "eligible for fan-out across the worker pool; parallel reduction lowering is not implemented, so it runs sequentially",
      },
    ]);
    expect(reductions(src, "f", false)[0].cost_gate).toBe("declined_auto_par_disabled");
  });

  it("recognises the other operators and min/max forms", () => {
    const src = `
fn f(n: i64) -> i64 {
    let mut p = 1;
    let mut x = 0;
    let mut lo = 1000;
    let mut hi = 0;
    for i in 1..20 { p = p * i; }
    for i in 0..20 { x ^= i; }
    for i in 0..20 { if i * 3 % 11 < lo { lo = i * 3 % 11; } }
    for i in 0..n { hi = max(hi, i % 13); }
    p + x + lo + hi
}
fn main() { println(f(30)); }
`;
    const r = reductions(src);
    expect(r.map((x) => [x.statement, x.accumulator, x.op, x.cost_gate])).toEqual([
      [4, "p", "*", "declined_below_cost_threshold"],
      [5, "x", "^", "declined_below_cost_threshold"],
      [6, "lo", "min", "declined_below_cost_threshold"],
      [7, "hi", "max", "declined_variable_k_param_bound"],
    ]);
  });

  it("declines float accumulators and bodies with output", () => {
    const src = `
fn f() -> f64 {
    let mut s = 0.0;
    for i in 0..1000000 { s += 0.5; }
    let mut t = 0;
    for i in 0..1000000 { t += i; println(i); }
    s + t as f64
}
fn main() { println(f()); }
`;
    expect(reductions(src).map((x) => [x.accumulator, x.cost_gate])).toEqual([
      ["s", "declined_non_integer_accumulator"],
      ["t", "declined_unshapeable_loop"],
    ]);
  });

  it("ignores loops whose accumulator is read elsewhere in the body", () => {
    const src = `
fn f() -> i64 {
    let mut s = 0;
    for i in 0..1000000 { s += i; if s > 100 { s = 0; } }
    s
}
fn main() { println(f()); }
`;
    expect(reductions(src).map((x) => x.cost_gate)).toEqual(["declined_unshapeable_loop"]);
  });

  it("finds reductions nested in if arms and loop bodies", () => {
    const src = `
fn f(c: bool) -> i64 {
    let mut s = 0;
    if c {
        while s < 10 {
            for i in 0..100 { s += i; }
        }
    }
    s
}
fn main() { println(f(true)); }
`;
    expect(reductions(src).map((x) => [x.statement, x.loop_line, x.accumulator])).toEqual([[1, 6, "s"]]);
  });
});
