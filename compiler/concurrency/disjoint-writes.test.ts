// Disjoint indexed-write loops: every decline tag has a program that triggers it and a near miss
// that is proven and fans out; the report carries karac's keys in karac's order.

import { describe, expect, it } from "vitest";
import { HEAVY, reportOf, run } from "./testutil.js";
import type { DisjointWriteLoop } from "./disjoint-writes.js";


const program = (body: string, extra = "") => `${HEAVY}${extra}
fn k(n: i64, w: i64) {
    let mut out: Vec[i64] = Vec.filled(n * w * 4 + 8, 0);
${body}
    println(out[0]);
}
fn main() { k(8, 4); }
`;

function loops(src: string): DisjointWriteLoop[] {
  return reportOf(src, "k").disjoint_write_loops as DisjointWriteLoop[];
}

interface Case {
  tag: string;
  declined: string;
  nearMiss: string;
  extra?: string;
}

const CASES: Case[] = [
  {
    tag: "unsupported_loop_form",
    declined: "for i in (0..n).rev() { out[i] = heavy(i); }",
    nearMiss: "for i in 0..n { out[i] = heavy(i); }",
  },
  {
    tag: "complex_write_target",
    declined: "let mut grid: Vec[Vec[i64]] = Vec.filled(n, Vec.filled(2, 0));\n for i in 0..n { grid[i][0] = heavy(i); }\n out[0] = grid[0][0];",
    nearMiss: "let mut grid: Vec[i64] = Vec.filled(n, 0);\n for i in 0..n { grid[i] = heavy(i); }\n out[0] = grid[0];",
  },
  {
    tag: "unsupported_target_type",
    declined: "let mut m: Map[i64, i64] = Map.new();\n for i in 0..n { m.insert(i, 0); }\n for i in 0..n { m[i] += heavy(i); }",
    nearMiss: "let mut m: Vec[i64] = Vec.filled(n, 0);\n for i in 0..n { m[i] += heavy(i); }",
  },
  {
    tag: "indirect_index",
    declined: "let idx: Vec[i64] = Vec.filled(n, 0);\n for i in 0..n { out[idx[i]] = heavy(i); }",
    nearMiss: "let idx: Vec[i64] = Vec.filled(n, 0);\n for i in 0..n { out[i] = heavy(idx[i]); }",
  },
  {
    tag: "non_affine_index",
    declined: "for i in 0..n { out[i * i] = heavy(i); }",
    nearMiss: "for i in 0..n { out[i * 3] = heavy(i); }",
  },
  {
    tag: "index_not_invariant",
    declined: "for i in 0..n { let j = heavy(i) % n; out[j] = i; }",
    nearMiss: "for i in 0..n { let j = i + 1; out[j] = heavy(i); }",
  },
  {
    tag: "invariant_write_slot",
    declined: "for i in 0..n { out[7] = heavy(i); }",
    nearMiss: "for i in 0..n { out[7 + i] = heavy(i); }",
  },
  {
    tag: "unbounded_inner_loop",
    declined: "for i in 0..n { let mut j = 0; while j < 4 { out[i * 4 + j] = heavy(j); j = j + 1; } }",
    nearMiss: "for i in 0..n { for j in 0..4 { out[i * 4 + j] = heavy(j); } }",
  },
  {
    tag: "coefficient_sign_unknown",
    declined: "for i in 0..n { out[i * w] = heavy(i); }",
    nearMiss: "for i in 0..n { for x in 0..w { out[i * w + x] = heavy(x); } }",
  },
  {
    tag: "stride_mismatch",
    declined: "for i in 0..n { out[2 * i] = heavy(i); out[3 * i] = 1; }",
    nearMiss: "for i in 0..n { out[3 * i] = heavy(i); out[3 * i + 2] = 1; }",
  },
  {
    tag: "footprint_overlap",
    declined: "for i in 0..n { for x in 0..5 { out[i * 4 + x] = heavy(x); } }",
    nearMiss: "for i in 0..n { for x in 1..5 { out[i * 4 + x] = heavy(x); } }",
  },
  {
    tag: "reads_written_target",
    declined: "for i in 1..n { out[i] = out[i - 1] + heavy(i); }",
    nearMiss: "let prev = out.clone();\n for i in 1..n { out[i] = prev[i - 1] + heavy(i); }",
  },
  {
    tag: "other_outer_write",
    declined: "let mut count = 0;\n for i in 0..n { out[i] = heavy(i); count = count + 1; }\n out[0] = count;",
    nearMiss: "let mut count = 0;\n for i in 0..n { let c = count + 1; out[i] = heavy(i) + 0 * c; }\n out[0] = count;",
  },
  {
    tag: "opaque_body_construct",
    declined: "for i in 0..n { let f = |x: i64| x + 1; out[i] = f(heavy(i)); }",
    nearMiss: "for i in 0..n { out[i] = heavy(i) + 1; }",
  },
  {
    tag: "early_exit",
    declined: "for i in 0..n { if i == 5 { break; } out[i] = heavy(i); }",
    nearMiss: "for i in 0..n { for j in 0..4 { if j == 2 { break; } out[i * 4 + j] = heavy(j); } }",
  },
  {
    tag: "symbolic_overflow",
    declined: "for i in 0..n { out[i * 4611686018427387904] = heavy(i); }",
    nearMiss: "for i in 0..n { out[i * 4611686] = heavy(i); }",
  },
  {
    tag: "not_cross_task_safe",
    declined: "let a = Atomic.new(0);\n for i in 0..n { out[i] = heavy(i) + a.load(MemoryOrdering.Relaxed); }",
    nearMiss: "let a = Atomic.new(0);\n let a0 = a.load(MemoryOrdering.Relaxed);\n for i in 0..n { out[i] = heavy(i) + a0; }",
  },
  {
    tag: "shares_outer_mut_borrow",
    extra: "fn helper(s: mut ref Vec[i64], v: i64) -> i64 { s.push(v); heavy(v) }",
    declined: "let mut scratch: Vec[i64] = Vec.new();\n for i in 0..n { out[i] = helper(mut scratch, i); }",
    nearMiss: "for i in 0..n { let mut scratch: Vec[i64] = Vec.new(); out[i] = helper(mut scratch, i); }",
  },
  {
    tag: "body_emits_output",
    extra: "fn note(v: i64) { println(v); }",
    declined: "for i in 0..n { out[i] = heavy(i); note(i); }",
    nearMiss: "for i in 0..n { out[i] = heavy(i); }\n note(n);",
  },
  {
    tag: "body_has_effects",
    extra: "effect resource Audit;\nfn record(v: i64) writes(Audit) { }",
    declined: "for i in 0..n { out[i] = heavy(i); record(i); }",
    nearMiss: "for i in 0..n { out[i] = heavy(i); }\n record(n);",
  },
];

describe("disjoint indexed-write loops", () => {
  for (const c of CASES) {
    it(`declines with ${c.tag}, and its near miss fans out`, () => {
      const declined = loops(program(c.declined, c.extra));
      expect(declined.length).toBeGreaterThan(0);
      const first = declined.find((l) => l.gate !== "proven")!;
      expect(first, JSON.stringify(declined)).toBeDefined();
      expect(first.gate).toBe(c.tag);
      expect(first.disjoint_writes).toBe(false);
      expect(first.fanned_out).toBe(false);
      expect(first.cost_gate).toBe("n/a");
      expect(first.reason.length).toBeGreaterThan(10);

      const near = loops(program(c.nearMiss, c.extra));
      const proven = near.filter((l) => l.gate === "proven");
      expect(proven.length, JSON.stringify(near)).toBe(1);
      expect(near.filter((l) => l.gate !== "proven")).toEqual([]);
      expect(proven[0].disjoint_writes).toBe(true);
      expect(proven[0].cost_gate).toBe("fanout");
      expect(proven[0].fanned_out).toBe(true);
    });
  }

  it("reports karac's keys in karac's order and names the proven interval", () => {
    const src = program("for dy in 0..n {\n for dx in 0..w { for c in 0..4 { out[(dy * w + dx) * 4 + c] = heavy(c); } }\n }");
    const [l] = loops(src);
    expect(Object.keys(l)).toEqual(["statement", "loop_line", "loop_var", "disjoint_writes", "gate", "fanned_out", "cost_gate", "targets", "reason"]);
    expect(l.loop_var).toBe("dy");
    expect(l.targets).toEqual([{ name: "out", stride: "4 * w", base: "0", writes: 1 }]);
    expect(l.reason).toBe("iteration `dy` writes `out` only within [dy * (4 * w), (dy + 1) * (4 * w))");
    expect(l.statement).toBe(1);
  });

  it("names a non-zero base and counts every write to one target", () => {
    const [l] = loops(program("for i in 0..n { out[3 * i + 5] = heavy(i); out[3 * i + 6] = 1; out[3 * i + 7] = 2; }"));
    expect(l.gate).toBe("proven");
    expect(l.targets).toEqual([{ name: "out", stride: "3", base: "5", writes: 3 }]);
  });

  it("does not report loops that write no outer collection", () => {
    expect(loops(program("let mut s = 0;\n for i in 0..n { let mut t: Vec[i64] = Vec.filled(2, 0); t[0] = i; s = s + t[0]; }\n out[0] = s;"))).toEqual([]);
  });

  it("goes through the cost gate: a cheap body is declined as memory-bound, auto-par off declines", () => {
    const [cheap] = loops(program("for i in 0..n { out[i] = i; }"));
    expect(cheap.gate).toBe("proven");
    expect(cheap.cost_gate).toBe("declined_memory_bound");
    expect(cheap.fanned_out).toBe(false);
    const off = reportOf(program("for i in 0..n { out[i] = heavy(i); }"), "k", false).disjoint_write_loops as DisjointWriteLoop[];
    expect(off[0].cost_gate).toBe("declined_auto_par_disabled");
    expect(off[0].fanned_out).toBe(false);
  });

  it("rewrites a fanned-out loop into one shared chunk function and leaves declined ones alone", () => {
    const { result } = run(program("for i in 0..n { out[i] = heavy(i); }"));
    const chunkFns = result.program.functions.filter((f) => f.name.includes("$disjoint"));
    expect(chunkFns.map((f) => f.name)).toEqual(["k$disjoint1$chunk"]);
    const declined = run(program("for i in 0..n { out[i * i] = heavy(i); }")).result;
    expect(declined.program.functions.filter((f) => f.name.includes("$disjoint"))).toEqual([]);
  });

  it("says float reductions stay sequential while a float disjoint write fans out", () => {
    const src = `${HEAVY}
fn k(n: i64) {
    let mut out: Vec[f64] = Vec.filled(n, 0.0);
    let mut s = 0.0;
    for i in 0..n { s = s + heavy(i) as f64; }
    for i in 0..n { out[i] = heavy(i) as f64 * 0.5; }
    println(s + out[1]);
}
fn main() { k(10); }
`;
    const r = reportOf(src, "k");
    expect(r.loop_reductions.map((x) => x.cost_gate)).toEqual(["declined_non_integer_accumulator"]);
    expect((r.disjoint_write_loops as DisjointWriteLoop[]).map((x) => [x.gate, x.fanned_out])).toEqual([["proven", true]]);
  });
});
