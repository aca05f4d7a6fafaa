import { describe, expect, it } from "vitest";
import type { TExpr } from "../tir/nodes.js";
import { REDUCE_CHUNKS } from "./reduce-lowering.js";
import { fnNamed, reportOf, run } from "./testutil.js";
import { walkStmt } from "../tir/walk.js";

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
        lowering: "parallel_fanout",
        collect_tabulate: false,
        fanned_out: true,
        cost_gate: "fanout",
        reason: "dispatched across the worker pool",
      },
    ]);
    const off = reductions(src, "f", false)[0];
    expect([off.cost_gate, off.lowering, off.fanned_out]).toEqual(["declined_auto_par_disabled", "sequential", false]);
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

describe("reduction fan-out rewrite", () => {
  const src = `
fn f(n: i64) -> i64 {
    let mut s = 0;
    for i in 0..1000000 {
        let t = i % 13;
        s += t * t;
    }
    s + n
}
fn main() { println(f(1)); }
`;

  it("splits the loop into chunk branches with hoisted partials, guarded by a sequential fallback", () => {
    const { input, result } = run(src);
    const fn = fnNamed(result.program, "f");
    const pars: Extract<TExpr, { kind: "par" }>[] = [];
    const fors: TExpr[] = [];
    walkStmt(fn.body.stmts[1], {
      expr: (e) => {
        if (e.kind === "par") pars.push(e);
        if (e.kind === "for") fors.push(e);
      },
    });
    expect(pars).toHaveLength(1);
    const [par] = pars;
    expect(par.origin).toBe("reduce");
    expect(par.branches).toHaveLength(REDUCE_CHUNKS);
    expect(par.hoisted).toHaveLength(REDUCE_CHUNKS);
    // The fallback keeps one sequential loop in the function; the chunks' loops live in the branches.
    expect(fors).toHaveLength(1);
    const s = fn.locals.findIndex((l) => l.name === "s");
    for (const b of par.branches) {
      const br = result.program.functions[b.fn];
      expect(br.kind).toBe("parBranch");
      // The accumulator is never touched by a chunk: each sums into its own partial.
      expect(b.captures.some((c) => c.outer === s)).toBe(false);
      expect(b.captures.filter((c) => c.byRef).map((c) => c.outer)).toEqual([par.hoisted[par.branches.indexOf(b)]]);
      expect(br.locals.some((l) => l.name === "t")).toBe(true);
    }
    // The checked program is untouched.
    let loopsBefore = 0;
    walkStmt(fnNamed(input, "f").body.stmts[1], { expr: (e) => void (e.kind === "for" && loopsBefore++) });
    expect(loopsBefore).toBe(1);
  });

  it("leaves the loop alone when auto-par is off", () => {
    const { input, result } = run(src, false);
    expect(result.program).toBe(input);
  });
});
