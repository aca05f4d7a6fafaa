// Order-free collect loops: every decline has a program that triggers it and a near miss that
// fans out; recognised loops are reported in `loop_reductions` (op `collect`), declined annotated
// loops in `declined_par_loops`, both with karac's keys in karac's order.

import { describe, expect, it } from "vitest";
import { HEAVY, reportOf, run } from "./testutil.js";
import { COLLECT_DECLINES, type CollectDecline, type DeclinedParLoop } from "./collect-loops.js";
import type { LoopReduction } from "./reductions.js";


const program = (body: string, extra = "") => `${HEAVY}${extra}
fn k(n: i64) {
    let mut out: Vec[i64] = Vec.new();
${body}
    println(out.len());
}
fn main() { k(8); }
`;

const A = "#[par_order_free]\n";

interface Case {
  tag: CollectDecline;
  declined: string;
  nearMiss: string;
  extra?: string;
}

const CASES: Case[] = [
  {
    tag: "loop_form",
    declined: `let src: Vec[i64] = Vec.filled(n, 3);\n ${A} for x in src { out.push(heavy(x)); }`,
    nearMiss: `let src: Vec[i64] = Vec.filled(n, 3);\n ${A} for i in 0..src.len() { out.push(heavy(src[i])); }`,
  },
  {
    tag: "no_collect",
    declined: `let mut seen: Vec[i64] = Vec.filled(n, 0);\n ${A} for i in 0..n { let s = heavy(i); seen[0] = s; }\n out.push(seen[0]);`,
    nearMiss: `${A} for i in 0..n { let s = heavy(i); out.push(s); }`,
  },
  {
    tag: "push_target",
    extra: "struct Bag { items: Vec[i64] }",
    declined: `let mut bag = Bag { items: Vec.new() };\n ${A} for i in 0..n { bag.items.push(heavy(i)); }\n out.push(bag.items.len());`,
    nearMiss: `let mut items: Vec[i64] = Vec.new();\n ${A} for i in 0..n { items.push(heavy(i)); }\n let bag = Bag { items: items };\n out.push(bag.items.len());`,
  },
  {
    tag: "several_accumulators",
    declined: `let mut odd: Vec[i64] = Vec.new();\n ${A} for i in 0..n { out.push(heavy(i)); odd.push(i); }\n out.push(odd.len());`,
    nearMiss: `let mut odd: Vec[i64] = Vec.new();\n ${A} for i in 0..n { out.push(heavy(i)); }\n for i in 0..n { odd.push(i); }\n out.push(odd.len());`,
  },
  {
    tag: "reads_accumulator",
    declined: `${A} for i in 0..n { if out.len() < 3 { out.push(heavy(i)); } }`,
    nearMiss: `${A} for i in 0..n { if i < 3 { out.push(heavy(i)); } }`,
  },
  {
    tag: "other_outer_write",
    declined: `let mut count = 0;\n ${A} for i in 0..n { out.push(heavy(i)); count = count + 1; }\n out.push(count);`,
    nearMiss: `let mut count = 0;\n ${A} for i in 0..n { out.push(heavy(i) + count); }\n count = out.len();\n out.push(count);`,
  },
  {
    tag: "shares_outer_mut_borrow",
    extra: "fn helper(s: mut ref Vec[i64], v: i64) -> i64 { s.push(v); heavy(v) }",
    declined: `let mut scratch: Vec[i64] = Vec.new();\n ${A} for i in 0..n { out.push(helper(mut scratch, i)); }`,
    nearMiss: `${A} for i in 0..n { let mut scratch: Vec[i64] = Vec.new(); out.push(helper(mut scratch, i)); }`,
  },
  {
    tag: "early_exit",
    declined: `${A} for i in 0..n { if i == 5 { break; } out.push(heavy(i)); }`,
    nearMiss: `${A} for i in 0..n { if i == 5 { continue; } out.push(heavy(i)); }`,
  },
  {
    tag: "opaque_body_construct",
    declined: `${A} for i in 0..n { let f = |x: i64| x + 1; out.push(f(heavy(i))); }`,
    nearMiss: `${A} for i in 0..n { out.push(heavy(i) + 1); }`,
  },
  {
    tag: "not_cross_task_safe",
    declined: `let a = Atomic.new(0);\n ${A} for i in 0..n { out.push(heavy(i) + a.load(MemoryOrdering.Relaxed)); }`,
    nearMiss: `let a = Atomic.new(0);\n let a0 = a.load(MemoryOrdering.Relaxed);\n ${A} for i in 0..n { out.push(heavy(i) + a0); }`,
  },
  {
    tag: "body_emits_output",
    extra: "fn note(v: i64) { println(v); }",
    declined: `${A} for i in 0..n { out.push(heavy(i)); note(i); }`,
    nearMiss: `${A} for i in 0..n { out.push(heavy(i)); }\n note(n);`,
  },
  {
    tag: "body_has_effects",
    extra: "effect resource Audit;\nfn record(v: i64) writes(Audit) { }",
    declined: `${A} for i in 0..n { out.push(heavy(i)); record(i); }`,
    nearMiss: `${A} for i in 0..n { out.push(heavy(i)); }\n record(n);`,
  },
];

const collects = (src: string, autoPar = true): LoopReduction[] => reportOf(src, "k", autoPar).loop_reductions.filter((r) => r.op === "collect");
const declinedOf = (src: string): DeclinedParLoop[] => reportOf(src, "k").declined_par_loops;

describe("order-free collect loops", () => {
  for (const c of CASES) {
    it(`declines when ${c.tag.replace(/_/g, " ")}, and its near miss fans out`, () => {
      const src = program(c.declined, c.extra);
      const declined = declinedOf(src);
      expect(declined.length, JSON.stringify(declined)).toBe(1);
      expect(declined[0].reason).toBe(COLLECT_DECLINES[c.tag]);
      expect(declined[0].annotated).toBe("par_order_free");
      expect(declined[0].fanned_out).toBe(false);
      expect(collects(src)).toEqual([]);
      expect(run(src).result.program.functions.filter((f) => f.name.includes("$collect"))).toEqual([]);

      const near = program(c.nearMiss, c.extra);
      expect(declinedOf(near)).toEqual([]);
      const found = collects(near);
      expect(found.length, JSON.stringify(reportOf(near, "k"))).toBe(1);
      expect(found[0].cost_gate).toBe("fanout");
      expect(found[0].fanned_out).toBe(true);
      expect(found[0].lowering).toBe("parallel_fanout");
    });
  }

  it("reports a while loop with the attribute as the wrong loop form", () => {
    const src = program(`let mut i = 0;\n ${A} while i < n { out.push(heavy(i)); i = i + 1; }`);
    const declined = declinedOf(src);
    expect(declined.map((d) => d.reason)).toEqual([COLLECT_DECLINES.loop_form]);
  });

  it("reports karac's keys in karac's order", () => {
    const src = program(`let mut odd: Vec[i64] = Vec.new();\n ${A} for i in 0..n { out.push(heavy(i)); odd.push(i); }\n ${A} for i in 0..n { out.push(heavy(i)); }`);
    const r = reportOf(src, "k");
    expect(Object.keys(r.declined_par_loops[0])).toEqual(["statement", "loop_line", "annotated", "fanned_out", "reason"]);
    expect(r.declined_par_loops[0].statement).toBe(2);
    expect(r.declined_par_loops[0].loop_line).toBe(16);
    const [c] = r.loop_reductions;
    expect(Object.keys(c)).toEqual(["statement", "loop_line", "accumulator", "op", "lowering", "collect_tabulate", "fanned_out", "cost_gate", "reason"]);
    expect(c).toMatchObject({ statement: 3, accumulator: "out", op: "collect", collect_tabulate: true });
  });

  it("takes the tabulate path only for one unconditional push per iteration", () => {
    const tab = (body: string) => collects(program(body)).map((c) => c.collect_tabulate);
    expect(tab(`${A} for i in 0..n { let v = heavy(i); out.push(v); }`)).toEqual([true]);
    expect(tab(`${A} for i in 0..n { if i % 2 == 0 { out.push(heavy(i)); } }`)).toEqual([false]);
    expect(tab(`${A} for i in 0..n { out.push(heavy(i)); out.push(i); }`)).toEqual([false]);
    expect(tab(`${A} for i in 0..n { if i == 3 { continue; } out.push(heavy(i)); }`)).toEqual([false]);
    expect(tab(`${A} for i in 0..n { for j in 0..2 { out.push(heavy(i + j)); } }`)).toEqual([false]);
  });

  it("goes through the cost gate, and auto-par off declines", () => {
    const [cheap] = collects(program(`${A} for i in 0..n { out.push(i * 2); }`));
    expect(cheap.cost_gate).toBe("declined_variable_k_param_bound");
    expect(cheap.fanned_out).toBe(false);
    const [small] = collects(program(`${A} for i in 0..10 { out.push(i * 2); }`));
    expect(small.cost_gate).toBe("declined_below_cost_threshold");
    const [off] = collects(program(`${A} for i in 0..n { out.push(heavy(i)); }`), false);
    expect(off.cost_gate).toBe("declined_auto_par_disabled");
    expect(off.fanned_out).toBe(false);
    expect(off.lowering).toBe("sequential");
  });

  it("lets the outermost fan-out win: a collect inside a fanned-out reduction runs in its chunks", () => {
    const src = program(`let mut total = 0;\n for r in 0..n { let mut row: Vec[i64] = Vec.new();\n ${A} for i in 0..n { row.push(heavy(i + r)); }\n total += row.len(); }\n out.push(total);`);
    const r = reportOf(src, "k");
    expect(r.loop_reductions.map((x) => [x.op, x.fanned_out])).toEqual([
      ["+", true],
      ["collect", false],
    ]);
    expect(run(src).result.program.functions.filter((f) => f.name.includes("$collect"))).toEqual([]);
  });

  it("accepts the former spelling `#[par_unordered]`", () => {
    const [c] = collects(program("#[par_unordered]\n for i in 0..n { out.push(heavy(i)); }"));
    expect(c.fanned_out).toBe(true);
  });

  it("does not look at loops without the attribute", () => {
    const r = reportOf(program("for i in 0..n { out.push(heavy(i)); }"), "k");
    expect(r.loop_reductions).toEqual([]);
    expect(r.declined_par_loops).toEqual([]);
  });

  it("leaves an annotated reduction to the reduction lane", () => {
    const r = reportOf(program(`let mut s = 0;\n ${A} for i in 0..n { s += heavy(i); }\n out.push(s);`), "k");
    expect(r.declined_par_loops).toEqual([]);
    expect(r.loop_reductions.map((x) => [x.op, x.fanned_out])).toEqual([["+", true]]);
  });

  it("rewrites a fanned-out loop into one shared chunk function; inner loops do not fan out again", () => {
    const src = program(`${A} for i in 0..n { let mut s = 0; for j in 0..n { s += heavy(i + j); } out.push(s); }`);
    const { result } = run(src);
    expect(result.program.functions.filter((f) => f.name.includes("$collect")).map((f) => f.name)).toEqual(["k$collect1$chunk"]);
    expect(result.program.functions.filter((f) => f.name.includes("$loop"))).toEqual([]);
  });
});
