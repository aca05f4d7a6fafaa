// Associated functions called through a type parameter (`T.empty()`): each instance of the generic
// function calls the implementation of its own type argument. Mistakes in a generic body are
// reported once, however many instances there are.

import { describe, expect, it } from "vitest";
import type { TProgram } from "../tir/nodes.js";
import { errs, fn, messages, nodes, ok } from "./testutil.js";

const EMPTY = `trait Empty { fn empty() -> Self; }
struct A { v: i64 }
struct B { s: String }
impl Empty for A { fn empty() -> A { A { v: 0 } } }
impl Empty for B { fn empty() -> B { B { s: "" } } }
`;

/** Names of the functions called directly in `name`'s body. */
function callees(p: TProgram, name: string): string[] {
  return nodes(fn(p, name).body, "call").map((c) => p.functions.find((f) => f.id === c.fn)?.name ?? "?");
}

describe("associated functions through a type parameter", () => {
  it("resolves T.empty() to the impl of each instance's type argument", () => {
    const p = ok(`${EMPTY}fn make[T: Empty]() -> T { T.empty() }
fn main() { let a: A = make(); let b: B = make(); println(a.v); println(b.s); }`);
    expect(callees(p, "make[A]")).toEqual(["A.empty"]);
    expect(callees(p, "make[B]")).toEqual(["B.empty"]);
  });

  it("types the call as the type argument", () => {
    const p = ok(`${EMPTY}fn pair[T: Empty]() -> (T, T) { let x = T.empty(); (x, T.empty()) }
fn main() { let (a, _) = pair[A](); println(a.v); }`);
    expect(callees(p, "pair[A]")).toEqual(["A.empty", "A.empty"]);
  });

  it("reports an associated function its bounds do not declare, at the generic definition", () => {
    expect(messages(`${EMPTY}fn make[T: Empty]() -> T { T.fresh() }
fn main() { let a: A = make(); println(a.v); }`)).toEqual(["no method named 'fresh' found for type parameter T: its bounds (Empty) declare no method 'fresh'; add a bound whose trait declares it"]);
  });
});

describe("mistakes in generic bodies are reported once", () => {
  it("an undefined name in a function instantiated twice", () => {
    expect(errs(`${EMPTY}fn make[T: Empty]() -> T { let q = nope + 1; T.empty() }
fn main() { let a: A = make(); let b: B = make(); println(a.v); println(b.s); }`)).toEqual(["E0100 6:36"]);
  });

  it("an undefined type-like receiver in a function instantiated twice", () => {
    expect(errs(`fn pick[T](x: T) -> T { U.empty(); x }
fn main() { println(pick(1)); println(pick("a")); }`)).toEqual(["E0100 1:25"]);
  });
});
