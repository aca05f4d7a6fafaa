import { describe, expect, it } from "vitest";
import { errs, fn, messages, nodes, ok } from "./testutil.js";

const SHAPE = "trait Shape {\n    fn area(ref self) -> f64;\n    fn name(ref self) -> String;\n    fn twice(ref self) -> f64 { self.area() * 2.0 }\n}\nstruct Sq { s: f64 }\n";

describe("impl Trait for T conformance", () => {
  it("accepts an impl defining every required method and relying on defaults", () => {
    ok(SHAPE + 'impl Shape for Sq {\n    fn area(ref self) -> f64 { self.s }\n    fn name(ref self) -> String { "sq" }\n}\nfn main() { let q = Sq { s: 1.0 }; println(q.twice()); }');
  });

  it("reports a missing required method at the impl, naming it", () => {
    const src = SHAPE + "impl Shape for Sq {\n    fn area(ref self) -> f64 { self.s }\n}\nfn main() {}";
    expect(errs(src)).toEqual(["E0292 7:1"]);
    expect(messages(src)[0]).toContain("`name`");
  });

  it("does not require methods that have a default body", () => {
    const src = SHAPE + 'impl Shape for Sq {\n    fn area(ref self) -> f64 { self.s }\n    fn name(ref self) -> String { "q" }\n    fn twice(ref self) -> f64 { 0.0 }\n}\nfn main() {}';
    expect(errs(src)).toEqual([]);
  });

  it("reports a method the trait does not declare at its name", () => {
    const src = "trait Named { fn name(ref self) -> String; }\nstruct C { a: i64 }\nimpl Named for C {\n    fn name(ref self) -> String { \"c\" }\n    fn purr(ref self) -> String { \"p\" }\n}\nfn main() {}";
    expect(errs(src)).toEqual(["E0293 5:8"]);
  });

  it("reports a differing return type, parameter type, parameter count and receiver", () => {
    const pre = "trait T { fn f(ref self, n: i64) -> i64; }\nstruct S { a: i64 }\n";
    expect(errs(pre + "impl T for S { fn f(ref self, n: i64) -> String { \"x\" } }\nfn main() {}")).toEqual(["E0294 3:19"]);
    expect(errs(pre + "impl T for S { fn f(ref self, n: bool) -> i64 { 1 } }\nfn main() {}")).toEqual(["E0294 3:19"]);
    expect(errs(pre + "impl T for S { fn f(ref self) -> i64 { 1 } }\nfn main() {}")).toEqual(["E0294 3:19"]);
    expect(errs(pre + "impl T for S { fn f(mut ref self, n: i64) -> i64 { 1 } }\nfn main() {}")).toEqual(["E0294 3:19"]);
    expect(messages(pre + "impl T for S { fn f(ref self, n: i64) -> String { \"x\" } }\nfn main() {}")[0]).toContain("expected return type i64, found String");
  });

  it("treats Self in the trait as the impl's target type", () => {
    ok("trait Mk { fn same(ref self, o: ref Self) -> bool; }\nstruct S { a: i64 }\nimpl Mk for S { fn same(ref self, o: ref S) -> bool { self.a == o.a } }\nfn main() { let s = S { a: 1 }; let t = S { a: 1 }; println(s.same(t)); }");
  });
});

describe("generic bounds", () => {
  const LARGEST = "fn largest[T: Ord](xs: ref Vec[T]) -> T {\n    let mut best = xs[0].clone();\n    for x in xs { if x > best { best = x; } }\n    best\n}\n";

  it("reports an element type without Ord once, at the call, not in the body", () => {
    expect(errs("struct Pt { x: i64 }\n" + LARGEST + "fn main() {\n    let v = [Pt { x: 1 }];\n    let b = largest(v);\n    println(b.x);\n}")).toEqual(["E0232 9:13"]);
  });

  it("accepts derive(Ord) and impl Ord element types", () => {
    ok("#[derive(PartialEq, Eq, PartialOrd, Ord)]\nstruct Pt { x: i64 }\n" + LARGEST + "fn main() { let v = [Pt { x: 1 }]; let b = largest(v); println(b.x); }");
    ok("#[derive(PartialEq, Eq)]\nstruct Pt { x: i64 }\nimpl Ord for Pt { fn cmp(ref self, other: ref Pt) -> Ordering { self.x.cmp(other.x) } }\n" + LARGEST + "fn main() { let v = [Pt { x: 1 }]; let b = largest(v); println(b.x); }");
  });

  it("reports a non-Display argument only at the call", () => {
    expect(errs("struct Secret { code: i64 }\nfn show[T: Display](x: T) -> String { f\"<{x}>\" }\nfn main() { let s = Secret { code: 7 }; println(show(s)); }")).toEqual(["E0232 3:49"]);
  });

  it("checks user trait bounds against the impls in the program", () => {
    const pre = "trait Area { fn area(ref self) -> f64; }\nstruct Sq { s: f64 }\nstruct Tri { s: f64 }\nimpl Area for Sq { fn area(ref self) -> f64 { self.s } }\nfn report[T: Area](x: ref T) -> f64 { x.area() }\n";
    ok(pre + "fn main() { println(report(Sq { s: 1.5 })); }");
    expect(errs(pre + "fn main() { println(report(Tri { s: 1.5 })); }")).toEqual(["E0232 6:21"]);
  });

  it("checks Eq bounds: floats and types without PartialEq fail", () => {
    const pre = "fn has[T: Eq](xs: ref Vec[T], y: T) -> bool { xs.contains(y) }\n";
    ok(pre + "fn main() { println(has([1, 2], 2)); }");
    expect(errs(pre + "fn main() { println(has([1.5], 1.5)); }")).toEqual(["E0232 2:21"]);
  });
});

describe("element types of sort, contains, dedup", () => {
  it("rejects sort() on a Vec of a type without Ord", () => {
    expect(errs("struct Job { pri: i64 }\nfn main() {\n    let mut jobs = [Job { pri: 2 }];\n    jobs.sort();\n}")).toEqual(["E0208 4:5"]);
  });

  it("accepts sort() with derive(Ord) or impl Ord", () => {
    ok("#[derive(PartialEq, Eq, PartialOrd, Ord)]\nstruct Job { pri: i64 }\nfn main() { let mut jobs = [Job { pri: 2 }]; jobs.sort(); }");
    ok("#[derive(PartialEq, Eq)]\nstruct Job { pri: i64 }\nimpl Ord for Job { fn cmp(ref self, other: ref Job) -> Ordering { self.pri.cmp(other.pri) } }\nfn main() { let mut jobs = [Job { pri: 2 }]; jobs.sort(); }");
  });

  it("rejects contains() and dedup() on a type without PartialEq", () => {
    expect(errs("struct J { p: i64 }\nfn main() { let v = [J { p: 1 }]; println(v.contains(J { p: 1 })); }")).toEqual(["E0208 2:43"]);
    expect(errs("struct J { p: i64 }\nfn main() { let mut v = [J { p: 1 }]; v.dedup(); }")).toEqual(["E0208 2:39"]);
    ok("#[derive(PartialEq)]\nstruct J { p: i64 }\nfn main() { let mut v = [J { p: 1 }]; v.dedup(); println(v.contains(J { p: 1 })); }");
  });
});

describe("max/min on user types", () => {
  it("accepts derive(Ord) structs and enums and impl Ord types", () => {
    ok("#[derive(PartialEq, Eq, PartialOrd, Ord, Display)]\nenum P { Low, Mid(i64), High }\nfn main() { println(max(P.Low, P.Mid(0))); println(min(P.High, P.Low)); }");
    const p = ok("#[derive(PartialEq, Eq, Display)]\nstruct S { x: i64 }\nimpl Ord for S { fn cmp(ref self, other: ref S) -> Ordering { other.x.cmp(self.x) } }\nfn main() { println(max(S { x: 1 }, S { x: 2 })); }");
    expect(nodes(fn(p, "main").body, "builtin").some((b) => b.op === "max")).toBe(true);
  });

  it("still rejects types without Ord, and floats", () => {
    expect(errs("struct S { x: i64 }\nfn main() { let a = S { x: 1 }; let b = S { x: 2 }; let c = max(a, b); }")).toEqual(["E0208 2:61"]);
    expect(errs("fn main() { let c = max(1.5, 2.5); }")).toEqual(["E0208 1:21"]);
  });
});
