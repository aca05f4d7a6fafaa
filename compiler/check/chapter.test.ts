import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fn, local, localType, nodes, ok } from "./testutil.js";

const dir = new URL("../../examples/chapter/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".kara"));

describe("chapter programs", () => {
  it("finds the chapter programs", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    it(`${f} checks cleanly and produces TIR`, () => {
      const p = ok(readFileSync(new URL(f, dir), "utf8"));
      expect(p.functions[p.main!].name).toBe("main");
      for (const func of p.functions) {
        // every expression is concretely typed: no checker-internal kinds survive
        expect(nodes(func, "var")).toEqual([]);
        expect(nodes(func, "$own")).toEqual([]);
        expect(nodes(func, "error")).toEqual([]);
      }
    });
  }

  it("par_counter: the par struct is shared by reference, fetch_add carries its ordering", () => {
    const p = ok(readFileSync(new URL("par_counter.kara", dir), "utf8"));
    expect(p.structs.get("Counter")?.flavor).toBe("par");
    const ops = nodes(fn(p, "bump"), "builtin");
    expect(ops.map((o) => o.op)).toEqual(["atomic.fetch_add"]);
    expect(ops[0].orderings).toEqual(["Relaxed"]);
    const par = nodes(fn(p, "main"), "par")[0] as { branches: { fn: number }[] };
    expect(par.branches.length).toBe(3);
    for (const b of par.branches) expect(p.functions[b.fn].kind).toBe("parBranch");
  });

  it("par_heavy: branch lets are hoisted into main and written through by-reference captures", () => {
    const p = ok(readFileSync(new URL("par_heavy.kara", dir), "utf8"));
    const main = fn(p, "main");
    const par = nodes(main, "par")[0] as { hoisted: number[]; branches: { fn: number; captures: { byRef: boolean }[] }[] };
    expect(par.hoisted.map((id) => main.locals[id].name)).toEqual(["a", "b"]);
    for (const b of par.branches) {
      expect(b.captures).toEqual([{ outer: expect.any(Number), byRef: true }]);
    }
    expect(local(main, "a").addressTaken).toBe(true);
    expect(localType(p, "main", "a")).toBe("i64");
  });

  it("task_group: spawn lifts a thunk and returns TaskHandle[i64]", () => {
    const p = ok(readFileSync(new URL("task_group.kara", dir), "utf8"));
    expect(localType(p, "main", "handles")).toBe("Vec[TaskHandle[i64]]");
    expect(localType(p, "main", "pool")).toBe("TaskGroup");
    const spawn = nodes(fn(p, "main"), "builtin").find((o) => o.op === "taskgroup.spawn")!;
    const thunk = (spawn.args as { kind: string; fn: number; captures: unknown[] }[])[0];
    expect(thunk.kind).toBe("closure");
    expect(p.functions[thunk.fn].kind).toBe("thunk");
    expect(p.functions[thunk.fn].captures.map((c) => [c.name, c.byRef])).toEqual([["n", false]]);
    expect(nodes(fn(p, "main"), "for")[0].iter).toMatchObject({ kind: "seq", collKind: "vec" });
  });

  it("build_dashboard: declared resources and with-clauses are recorded", () => {
    const p = ok(readFileSync(new URL("build_dashboard.kara", dir), "utf8"));
    expect(p.resources.map((r) => r.name)).toEqual(["UserDB", "OrderDB", "Analytics"]);
    const eff = fn(p, "build_dashboard").effects!;
    expect(eff.map((e) => (e.kind === "verb" ? `${e.verb}(${e.resources.map((r) => r.path.join(".")).join(",")})` : e.kind))).toEqual([
      "reads(UserDB)",
      "reads(OrderDB)",
      "reads(Analytics)",
    ]);
    expect(fn(p, "Dashboard.new").kind).toBe("method");
    // `user_id as i64` is an explicit cast from u64
    const casts = nodes(fn(p, "fetch_profile"), "cast");
    expect(casts.length).toBe(1);
  });
});
