import { describe, expect, it } from "vitest";
import { ok } from "../check/testutil.js";
import type { TFunction, TProgram } from "./nodes.js";
import { exprsOf, placeRoot, walkBlock, type PlaceAccess } from "./walk.js";

function fnOf(p: TProgram, name: string): TFunction {
  const f = p.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** `name:access` for every place rooted at a named local, in visiting order. */
function accesses(fn: TFunction): string[] {
  const out: string[] = [];
  walkBlock(fn.body, {
    place(p, access: PlaceAccess) {
      if (p.kind !== "local") return;
      out.push(`${fn.locals[p.local].name}:${access}`);
    },
  });
  return out;
}

describe("the TIR walker", () => {
  it("reports each place with how it is used", () => {
    const p = ok(`
fn bump(x: mut ref i64) { x += 1; }
fn main() {
    let mut n = 1;
    let mut v: Vec[i64] = Vec.new();
    n = n + 2;
    bump(mut n);
    v.push(n);
    println(v.len());
}
`);
    expect(accesses(fnOf(p, "main"))).toEqual(["n:write", "n:read", "n:mutref", "v:mutate", "n:read", "v:read"]);
  });

  it("visits patterns, loop steps and nested blocks, but not lifted bodies", () => {
    const p = ok(`
fn main() {
    let (a, b) = (1, 2);
    for i in (0..10).step_by(a + b) {
        println(i);
    }
    let f = |x: i64| x * 100;
    println(f(3));
}
`);
    const main = fnOf(p, "main");
    const kinds: string[] = [];
    const binds: string[] = [];
    walkBlock(main.body, {
      expr: (e) => void kinds.push(e.kind),
      pattern: (q) => void (q.kind === "bind" && binds.push(main.locals[q.local].name)),
    });
    // (the checker may add temporaries of its own, named with `$`)
    expect(binds.filter((n) => !n.startsWith("$"))).toEqual(["a", "b", "i", "f"]);
    // exactly one binary: the step `a + b` is walked; the closure's `x * 100` lives in its own
    // function and is not entered
    expect(kinds.filter((k) => k === "binary")).toHaveLength(1);
    expect(kinds).toContain("block");
    expect(kinds).toContain("closure");
  });

  it("an expression visitor returning false skips that expression's children", () => {
    const p = ok(`
fn main() {
    let n = 2;
    println(if n > 1 { n * 3 } else { n });
}
`);
    const main = fnOf(p, "main");
    const all = main.body.stmts.flatMap(exprsOf);
    const pruned: string[] = [];
    walkBlock(main.body, { expr: (e) => (pruned.push(e.kind), e.kind !== "if") });
    expect(all.some((e) => e.kind === "binary")).toBe(true);
    expect(pruned).toContain("if");
    expect(pruned).not.toContain("binary");
  });

  it("finds the root of a place", () => {
    const p = ok(`
struct P { xs: Vec[i64] }
fn main() {
    let mut q = P { xs: [1, 2] };
    q.xs[0] = 5;
    println(q.xs[0]);
}
`);
    const main = fnOf(p, "main");
    const assign = main.body.stmts.find((s) => s.kind === "assign");
    if (!assign || assign.kind !== "assign") throw new Error("no assignment");
    const root = placeRoot(assign.place);
    expect(root?.kind === "local" ? main.locals[root.local].name : undefined).toBe("q");
  });
});
