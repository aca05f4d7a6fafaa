import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { TExpr, TFunction, TProgram, TStmt } from "../tir/nodes.js";
import { fnNamed, run } from "./testutil.js";
import { walkStmt } from "../tir/walk.js";

const dashboard = readFileSync(new URL("../../examples/chapter/build_dashboard.kara", import.meta.url), "utf8");

type Par = Extract<TExpr, { kind: "par" }>;

function parsIn(fn: TFunction): Par[] {
  const out: Par[] = [];
  for (const s of fn.body.stmts)
    walkStmt(s, {
      expr: (e) => {
        if (e.kind === "par") out.push(e);
      },
    });
  return out;
}

/** Every local id a function body mentions must exist in that function. */
function localsResolve(p: TProgram, fn: TFunction): void {
  const n = fn.locals.length;
  const ok = (id: number) => expect(id >= 0 && id < n, `${fn.name}: local ${id} of ${n}`).toBe(true);
  const visit = (s: TStmt) =>
    walkStmt(s, {
      place: (pl) => {
        if (pl.kind === "local") ok(pl.local);
      },
      pattern: (pt) => {
        if (pt.kind === "bind") ok(pt.local);
      },
      expr: (e) => {
        if (e.kind === "move") ok(e.local);
        if (e.kind === "block") e.drops.forEach(ok);
        if (e.kind === "closure") e.captures.forEach((c) => ok(c.outer));
        if (e.kind === "par") {
          e.hoisted.forEach(ok);
          e.branches.forEach((b) => b.captures.forEach((c) => ok(c.outer)));
          for (const b of e.branches) localsResolve(p, p.functions[b.fn]);
        }
      },
    });
  fn.body.stmts.forEach(visit);
  fn.body.drops.forEach(ok);
}

describe("automatic par rewrite", () => {
  it("turns the dashboard fetches into an automatic par with hoisted bindings", () => {
    const { input, result } = run(dashboard);
    const before = fnNamed(input, "build_dashboard");
    const fn = fnNamed(result.program, "build_dashboard");
    expect(fn.body.stmts).toHaveLength(1);
    const [par] = parsIn(fn);
    expect(par.origin).toBe("auto");
    expect(par.branches).toHaveLength(3);
    const names = (ids: number[]) => ids.map((id) => fn.locals[id].name);
    expect(names(par.hoisted)).toEqual(["profile", "orders", "stats"]);
    for (const h of par.hoisted) expect(fn.locals[h].addressTaken).toBe(true);

    const userId = fn.params[0].local;
    par.branches.forEach((b, k) => {
      const br = result.program.functions[b.fn];
      expect(br.kind).toBe("parBranch");
      expect(br.panicName).toBe("build_dashboard");
      expect(br.params).toEqual([]);
      expect(b.span.line).toBe(41 + k);
      // user_id is only read: by value; the hoisted binding is written through its address.
      expect(b.captures).toEqual([
        { outer: userId, byRef: false },
        { outer: par.hoisted[k], byRef: true },
      ]);
      expect(br.captures.map((c) => [c.name, c.byRef])).toEqual([
        ["user_id", false],
        [fn.locals[par.hoisted[k]].name, true],
      ]);
      const last = br.body.stmts[br.body.stmts.length - 1];
      expect(last.kind).toBe("assign");
      localsResolve(result.program, br);
    });
    localsResolve(result.program, fn);
    // The input program is left as it was.
    expect(before.body.stmts).toHaveLength(3);
    expect(parsIn(before)).toEqual([]);
    expect(input.functions.length).toBeLessThan(result.program.functions.length);
  });

  it("leaves the program alone with auto-par off, but still reports", () => {
    const { input, result } = run(dashboard, false);
    expect(result.program).toBe(input);
    const r = result.reportFor("build_dashboard") as { parallel_groups: { dispatched: boolean }[] };
    expect(r.parallel_groups).toEqual([{ statements: [0, 1, 2], reason: "independent reads on different resources", dispatched: false }]);
  });

  it("captures written outer scalars by reference and moves owned bindings out", () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc * 7 + i) % 1009; i = i + 1; }
    acc
}
fn label(n: i64) -> String {
    let mut s = String.new();
    let mut i = 0;
    while i < n { s.push_str("x"); i = i + 1; }
    s
}
fn f(seed: i64) -> i64 {
    let mut total = 0;
    if seed < 0 { return 0; }
    let s = label(seed);
    total = spin(seed);
    s.len() as i64 + total
}
fn main() { println(f(5)); }
`;
    const { result } = run(src);
    const fn = fnNamed(result.program, "f");
    const [par] = parsIn(fn);
    expect(par.origin).toBe("auto");
    const total = fn.locals.findIndex((l) => l.name === "total");
    const s = fn.locals.findIndex((l) => l.name === "s");
    expect(par.hoisted).toEqual([s]);
    const [b0, b1] = par.branches;
    expect(b0.captures).toContainEqual({ outer: s, byRef: true });
    expect(b1.captures).toContainEqual({ outer: total, byRef: true });
    expect(fn.locals[total].addressTaken).toBe(true);
    // The String is built in an inner local and moved into the hoisted cell.
    const br0 = result.program.functions[b0.fn];
    const assign = br0.body.stmts[1];
    expect(assign.kind === "assign" && assign.value.kind).toBe("move");
    localsResolve(result.program, fn);
  });

  it("moves locals declared inside a lifted statement into the branch", () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < n { acc = (acc * 7 + i) % 1009; i = i + 1; }
    acc
}
fn f(n: i64) -> i64 {
    let a = { let t = spin(n); t + 1 };
    let b = match spin(n + 1) { 0 => 1, k => k * 2 };
    a + b
}
fn main() { println(f(5)); }
`;
    const { result } = run(src);
    const fn = fnNamed(result.program, "f");
    const [par] = parsIn(fn);
    expect(par.branches).toHaveLength(2);
    for (const b of par.branches) {
      const br = result.program.functions[b.fn];
      localsResolve(result.program, br);
      expect(b.captures.map((c) => fn.locals[c.outer].name).sort()).toEqual([fn.locals[par.hoisted[par.branches.indexOf(b)]].name, "n"].sort());
    }
    const br0 = result.program.functions[par.branches[0].fn];
    expect(br0.locals.some((l) => l.name === "t" && l.kind === "let")).toBe(true);
  });

  it("does not lift groups that mutate a captured container", () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut i = 0;
    while i < n { i = i + 1; }
    i
}
fn f() -> i64 {
    let mut v: Vec[i64] = Vec.new();
    v.push(spin(3));
    let a = spin(4);
    a + v.len() as i64
}
fn main() { println(f()); }
`;
    const { result } = run(src);
    const r = result.reportFor("f") as { parallel_groups: { statements: number[]; dispatched: boolean }[] };
    expect(r.parallel_groups).toEqual([{ statements: [1, 2], reason: "pure computations", dispatched: false }]);
    expect(parsIn(fnNamed(result.program, "f"))).toEqual([]);
  });
});
