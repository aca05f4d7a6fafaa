// Expressions of type `never` (arms and branches that return, break, continue or panic) must lower
// to code Binaryen types as unreachable, so they fit wherever a value is expected. Each program is
// compiled, validated and run; before this held, several failed validation ("local.set's value
// type must be correct") with E9999.

import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

const shapes = (flavor: string) => `${flavor}enum Shape { Circle(i64), Square(i64), Empty }
impl Shape { fn area(self) -> i64 { match self {
    Shape.Circle(r) => { return 3 * r * r; }  Shape.Square(s) => { return s * s; }  Shape.Empty => { return 0; } } } }
fn main() { let shapes = [Shape.Circle(2), Shape.Square(3), Shape.Empty]; for s in shapes { println(s.area()); } }`;

describe("diverging arms and branches", () => {
  it("a method whose match returns in every arm (plain enum)", () => {
    const r = run(shapes(""));
    expect(r.stdout).toBe("12\n9\n0\n");
    expect(r.exitCode).toBe(0);
  });

  it("a method whose match returns in every arm (shared enum)", () => {
    const r = run(shapes("shared "));
    expect(r.stdout).toBe("12\n9\n0\n");
    expect(r.exitCode).toBe(0);
  });

  it("if/else chains that return in every branch, and a match or if with one returning arm", () => {
    const r = run(`fn sign(x: i64) -> i64 { if x < 0 { return -1; } else if x > 0 { return 1; } else { return 0; } }
fn half(x: i64) -> i64 { let h = match x % 2 { 0 => x / 2, _ => { return -1; } }; h }
fn label(x: i64) -> String { let s = if x > 9 { return "big"; } else { f"n{x}" }; s }
fn main() { println(sign(-4)); println(sign(0)); println(sign(7)); println(half(8)); println(half(7)); println(label(3)); println(label(30)); }`);
    expect(r.stdout).toBe("-1\n0\n1\n4\n-1\nn3\nbig\n");
  });

  it("loops whose bodies return in every arm", () => {
    const r = run(`fn first(v: Vec[i64]) -> i64 { for x in v { if x > 0 { return x; } else { return -x; } } 0 }
fn spin(n: i64) -> i64 { loop { match n { 0 => { return 10; } _ => { return n; } } } }
fn walk(n: i64) -> i64 { let mut k = n; while k > 0 { if k > 5 { return 5; } else { return k; } } -1 }
fn main() { println(first([-3, 4])); println(first([])); println(spin(0)); println(spin(6)); println(walk(9)); println(walk(2)); println(walk(0)); }`);
    expect(r.stdout).toBe("3\n0\n10\n6\n5\n2\n-1\n");
  });

  it("a match whose arms break and continue a loop", () => {
    const r = run(`fn find(v: Vec[i64]) -> i64 {
    let mut i = 0;
    let r = loop { match v[i] { 0 => { break i; } _ => { i = i + 1; continue; } } };
    r
}
fn main() { println(find([3, 4, 0, 5])); println(find([0])); }`);
    expect(r.stdout).toBe("2\n0\n");
  });

  it("panic as an arm, a branch and a block tail (with owned locals in scope)", () => {
    const r = run(`fn pick(k: i64) -> String { match k { 1 => "one", 2 => "two", _ => panic("bad pick") } }
fn must(k: i64) -> i64 { if k > 0 { k } else { panic("negative") } }
fn held(k: i64) -> i64 { let v: Vec[i64] = [1, 2, 3]; if k < 3 { return v[k]; } panic(f"no element {k}") }
fn tag(k: i64) -> String { let name = String.from("tag"); match k { 0 => { return name; } _ => { panic(f"{name} {k}"); } } }
fn main() { println(pick(1)); println(pick(2)); println(must(5)); println(held(1)); println(tag(0)); println(held(7)); }`);
    expect(r.stdout).toBe("one\ntwo\n5\n2\ntag\npanic at main.kara:3:81 in held: no element 7\n");
    expect(r.exitCode).toBe(1);
  });

  it("nested matches that return in every arm", () => {
    const r = run(`enum Op { Add(i64, i64), Neg(i64), Nop }
fn eval(o: Option[Op]) -> i64 {
    match o {
        Some(op) => { match op { Op.Add(a, b) => { return a + b; } Op.Neg(a) => { return -a; } Op.Nop => { return 0; } } }
        None => { return -1; }
    }
}
fn main() { println(eval(Some(Op.Add(2, 3)))); println(eval(Some(Op.Neg(4)))); println(eval(Some(Op.Nop))); println(eval(None)); }`);
    expect(r.stdout).toBe("5\n-4\n0\n-1\n");
  });
});
