// Recursive shared types: checking must finish quickly however the type refers back to itself
// (several self fields, mutual recursion, struct variants of a shared enum), and matches over them
// are still judged for exhaustiveness.

import { describe, expect, it } from "vitest";
import { errs, messages, ok } from "./testutil.js";

describe("recursive shared types", () => {
  it("checks a shared struct with two Option[Self] fields read through if let and match", () => {
    ok(`shared struct Node { val: i64, mut left: Option[Node], mut right: Option[Node] }
fn show(t: Option[Node]) { if let Some(n) = t { println(n.val); } }
fn sum(t: Option[Node]) -> i64 { match t { None => 0, Some(n) => n.val + sum(n.left) + sum(n.right) } }
fn main() { show(None); println(sum(Some(Node { val: 1, left: None, right: None }))); }`);
  });

  it("checks a shared struct with many self fields and a nested pattern", () => {
    ok(`shared struct T { a: Option[T], b: Option[T], c: Option[T], d: Option[T], v: i64 }
fn f(t: Option[T]) -> i64 {
  match t { Some(T { a: Some(x), .. }) => x.v, Some(n) => n.v, None => 0 }
}
fn main() { println(f(None)); }`);
  });

  it("checks two mutually recursive shared structs", () => {
    ok(`shared struct A { x: i64, mut b: Option[B], mut a2: Option[A] }
shared struct B { y: i64, mut a: Option[A], mut b2: Option[B] }
fn walk(a: Option[A]) -> i64 {
  match a { Some(n) => n.x + match n.b { Some(b) => b.y, None => 0 }, None => 0 }
}
fn main() { println(walk(None)); }`);
  });

  it("checks a shared enum with a struct variant over itself", () => {
    ok(`shared enum Expr { Num(i64), Neg(Expr), Bin { lhs: Expr, rhs: Expr } }
fn eval(e: Expr) -> i64 {
  match e { Expr.Num(n) => n, Expr.Neg(x) => 0 - eval(x), Expr.Bin { lhs, rhs } => eval(lhs) + eval(rhs) }
}
fn main() { println(eval(Expr.Num(3))); }`);
  });

  it("still reports a non-exhaustive match over a recursive type", () => {
    const src = `shared enum Expr { Num(i64), Bin { lhs: Expr, rhs: Expr } }
fn eval(e: Expr) -> i64 {
  match e { Expr.Bin { lhs: Expr.Num(a), rhs } => a + eval(rhs), Expr.Num(n) => n }
}
fn main() { println(eval(Expr.Num(3))); }`;
    expect(errs(src)).toEqual(["E0205 3:3"]);
    expect(messages(src)[0]).toContain("Bin(..)");
  });

  it("reports the first uncovered variant when every arm is guarded", () => {
    const src = `shared struct Node { val: i64, mut left: Option[Node], mut right: Option[Node] }
fn f(t: Option[Node]) -> i64 { match t { Some(n) if n.val > 0 => n.val, None if true => 0 } }
fn main() { println(f(None)); }`;
    expect(errs(src)).toEqual(["E0205 2:32"]);
    expect(messages(src)[0]).toContain("`Some(..)`");
  });
});
