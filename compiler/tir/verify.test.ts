import { describe, expect, it } from "vitest";
import { ok, fn } from "../check/testutil.js";
import type { TExpr, TProgram } from "./nodes.js";
import { verifyAfterPhase, verifyProgram } from "./verify.js";
import { walkBlock } from "./walk.js";

const SRC = `
struct P { x: i64, y: i64 }
fn main() {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    let p = P { x: 1, y: 2 };
    let q = P { x: 3, ..p };
    println(f"{v.len()} {q.y}");
}`;

function firstExpr(p: TProgram, kind: string): TExpr {
  let found: TExpr | undefined;
  walkBlock(fn(p, "main").body, { expr: (e) => void (found ??= e.kind === kind ? e : undefined) });
  if (!found) throw new Error(`no ${kind} expression`);
  return found;
}

const messages = (p: TProgram): string[] => verifyProgram(p).map((v) => `${v.where}: ${v.message}`);

describe("the typed-program verifier", () => {
  it("accepts what the checker produces", () => {
    expect(messages(ok(SRC))).toEqual([]);
  });

  it("reports an inference variable left in a type", () => {
    const p = ok(SRC);
    (firstExpr(p, "builtin") as { type: unknown }).type = { kind: "var", id: 7 };
    expect(messages(p)).toEqual(["main: `builtin` expression has a non-final type of kind `var`"]);
  });

  it("reports an expression without a type and a leaked checker node", () => {
    const p = ok(SRC);
    delete (firstExpr(p, "struct") as { type?: unknown }).type;
    (firstExpr(p, "fstring") as { kind: string }).kind = "$own";
    expect(messages(p)).toEqual(["main: `struct` expression has no type", "main: `$own` expression is not a TIR node (a checker-internal node leaked)"]);
  });

  it("reports a builtin op the registry does not describe", () => {
    const p = ok(SRC);
    (firstExpr(p, "builtin") as { op: string }).op = "vec.frobnicate";
    expect(messages(p)).toEqual(["main: builtin op `vec.frobnicate` is not in the registry"]);
  });

  it("reports a node shared by two parents", () => {
    const p = ok(SRC);
    const s = firstExpr(p, "struct") as Extract<TExpr, { kind: "struct" }>;
    s.fields[1].value = s.fields[0].value;
    expect(messages(p)).toContain("main: `int` expression node appears more than once in the tree");
  });

  it("reports a nominal type the program does not define and a local out of range", () => {
    const p = ok(SRC);
    (firstExpr(p, "struct") as { type: unknown }).type = { kind: "struct", name: "Q", flavor: "plain" };
    const main = fn(p, "main");
    main.paramDrops.push(main.locals.length + 3);
    expect(messages(p)).toEqual([
      `main: parameter drop refers to local ${main.locals.length + 3}, not one of the function's ${main.locals.length}`,
      "main: `struct` expression names struct `Q`, which the program does not define",
    ]);
  });

  it("runs after every phase in the test suites", () => {
    // vitest.config.ts sets KARA_VERIFY_TIR=1, so compile() verifies after effects and concurrency.
    expect(verifyAfterPhase()).toBe(true);
  });
});
