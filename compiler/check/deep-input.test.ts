// Inputs that are legal but extreme: operator chains tens of thousands of operands long must check
// without exhausting the stack, and a generic type that needs ever larger instances of itself gets
// a diagnostic instead of an endless instantiation.

import { describe, expect, it } from "vitest";
import { errs, fn, messages, nodes, ok } from "./testutil.js";

const chain = (operand: string, op: string, n: number): string => Array(n).fill(operand).join(` ${op} `);

describe("long operator chains", () => {
  it("checks a 20 000-term integer sum", () => {
    const p = ok(`fn main() { let a = 1; let x = ${chain("a", "+", 20000)}; println(x); }`);
    // The chain stays one left-deep tree of binary nodes, every one typed i64.
    const adds = nodes(fn(p, "main").body, "binary");
    expect(adds).toHaveLength(19999);
    expect(adds.every((b) => (b.type as { kind: string; name?: string }).name === "i64")).toBe(true);
  });

  it("checks a 20 000-term `and` chain", () => {
    const p = ok(`fn main() { let a = true; let x = ${chain("a", "and", 20000)}; println(x); }`);
    expect(nodes(fn(p, "main").body, "logical")).toHaveLength(19999);
  });

  it("checks a 20 000-term string concatenation", () => {
    const p = ok(`fn main() { let a = "s"; let x = ${chain("a", "+", 20000)}; println(x); }`);
    const adds = nodes(fn(p, "main").body, "binary");
    expect(adds.every((b) => (b.operand as { kind: string }).kind === "string")).toBe(true);
  });

  it("still reports a mistake deep inside a long chain, once, at the operation it breaks", () => {
    const src = `fn main() { let a = 1; let x = ${chain("a", "+", 3000)} + true + ${chain("a", "+", 3000)}; println(x); }`;
    // `a + … + a + true` (the left operand of the later additions) is where i64 meets bool.
    expect(errs(src)).toEqual(["E0200 1:32"]);
    expect(messages(src)).toEqual(["mismatched types: i64 and bool"]);
  });

  it("gives an untyped literal at the bottom of a chain the type the chain settles on", () => {
    const p = ok(`fn main() { let a: u8 = 1; let x = 1 + ${chain("a", "+", 5000)}; println(x); }`);
    const lits = nodes(fn(p, "main").body, "int").filter((n) => n.value === 1n);
    expect(lits.map((n) => (n.type as { name: string }).name)).toContain("u8");
  });
});

describe("nesting deeper than the checker's recursion", () => {
  it("reports E0296 at the function instead of an internal error", () => {
    // Method-call chains are checked recursively (receiver first); 20 000 of them exhaust the stack.
    const src = `fn helper() {}\nfn main() { let a = "s"; let x = a${".clone()".repeat(20000)}; println(x); }`;
    expect(errs(src)).toEqual(["E0296 2:4"]);
    expect(messages(src)[0]).toContain("in 'main' are nested too deeply to check");
  });
});

describe("generic types that expand without bound", () => {
  it("reports a struct whose field nests the struct in a larger instance", () => {
    const src = "struct S[T] { v: Vec[S[S[T]]] }\nfn main() { let s: S[i64] = S { v: Vec.new() }; }";
    expect(errs(src)).toEqual(["E0295 1:1"]);
    expect(messages(src)[0]).toContain("`S[i64]` needs `S[S[i64]]`");
  });

  it("reports an enum whose variant nests the enum over a growing type", () => {
    const src = "enum L[T] { Nil, Cons(T, Vec[L[Vec[T]]]) }\nfn main() { let l: L[i64] = L.Nil; }";
    expect(errs(src)).toEqual(["E0295 1:1"]);
  });

  it("reports a shared struct the same way", () => {
    const src = "shared struct S[T] { v: Option[S[S[T]]] }\nfn main() { let s: S[i64] = S { v: None }; }";
    expect(errs(src)).toEqual(["E0295 1:1"]);
  });

  it("accepts recursion that reaches a fixed set of instances", () => {
    ok(`shared struct N[T] { v: T, next: Option[N[T]] }
shared struct W[T] { other: Option[W[i64]], t: T }
enum Tree[T] { Leaf(T), Node(Vec[Tree[T]]) }
fn main() {
  let n: N[i64] = N { v: 1, next: None };
  let w: W[String] = W { other: None, t: "x" };
  let t: Tree[i64] = Tree.Node([Tree.Leaf(1)]);
  println(n.v);
}`);
  });
});

describe("matches with thousands of literal arms", () => {
  const matchOf = (scrutinee: string, arms: string[]) => `fn main() {\n    let x${scrutinee};\n    let v = match x {\n${arms.map((a) => `        ${a},`).join("\n")}\n    };\n    println(v);\n}\n`;
  const literalArms = (n: number, skip?: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i !== skip).map((i) => `${i} => ${i * 2}`);

  it("checks 20 000 arms, one type for all their values", () => {
    const p = ok(matchOf(": i64 = 7", [...literalArms(20000), "_ => -1"]));
    // Arm bodies (typed expressions; the patterns' literals carry no type of their own).
    const values = nodes(fn(p, "main").body, "int").filter((n) => n.type !== undefined);
    expect(values.length).toBeGreaterThanOrEqual(20000);
    expect(values.every((n) => (n.type as { name: string }).name === "i64")).toBe(true);
  });

  it("names the first value no arm covers", () => {
    expect(messages(matchOf(": u16 = 7", [...literalArms(20000, 12345), "20000..=65535 => 0"]))).toEqual(["non-exhaustive match: pattern `12345` not covered"]);
    expect(messages(matchOf(": u16 = 7", [...literalArms(20000), "20001..=65535 => 0"]))).toEqual(["non-exhaustive match: pattern `20000` not covered"]);
    expect(messages(matchOf(": u8 = 7", ["0..=100 => 0", "50..=200 => 1", "201 => 2", "203..=255 => 3"]))).toEqual(["non-exhaustive match: pattern `202` not covered"]);
    expect(errs(matchOf(": u8 = 7", ["0..=100 => 0", "50..=200 => 1", "201..=255 => 2"]))).toEqual([]);
  });
});
