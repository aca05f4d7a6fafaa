import { describe, expect, it } from "vitest";
import { analyze, errors, fnEffects, inferredOf, where } from "./testing.js";

describe("partition keys of parameterised resources", () => {
  it("a literal key is carried from the clause into the declared and inferred sets", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put_one() with writes(Shard[1]) { }
fn get_neg() -> i64 with reads(Shard[-3]) { 0 }
fn main() { put_one(); println(get_neg()); }
`);
    expect(inferredOf(a, "put_one")).toEqual(["writes(Shard[1])"]);
    expect(fnEffects(a, "put_one").declared).toEqual([{ verb: "writes", resource: "Shard", key: "1" }]);
    expect(inferredOf(a, "get_neg")).toEqual(["reads(Shard[-3])"]);
    expect(inferredOf(a, "main")).toEqual(["reads(Shard[-3])", "writes(Shard[1])"]);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });

  it("distinct keys are distinct atoms; the same key twice is one", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn one() with writes(Shard[1]) { }
fn two() with writes(Shard[2]) { }
fn again() with writes(Shard[1]) { }
fn all() { one(); two(); again(); }
fn main() { all(); }
`);
    expect(inferredOf(a, "all")).toEqual(["writes(Shard[1])", "writes(Shard[2])"]);
  });

  it("a key that is not a literal is kept by name and stands for any partition", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put(k: i64, v: i64) with writes(Shard[k]) { }
fn put_sum(k: i64) with writes(Shard[k + 1]) { }
fn main() { put(4, 5); put_sum(2); }
`);
    expect(inferredOf(a, "put")).toEqual(["writes(Shard[k])"]);
    expect(inferredOf(a, "put_sum")).toEqual(["writes(Shard[_])"]);
  });

  it("a resource named without a key stays unkeyed (every partition)", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn rebalance() with writes(Shard) { }
fn main() { rebalance(); }
`);
    expect(inferredOf(a, "rebalance")).toEqual(["writes(Shard)"]);
  });

  it("keys survive group expansion", () => {
    const a = analyze(`
effect resource Shard[key: i64];
effect group first_shard = reads(Shard[0]) + writes(Shard[0]);
fn touch() with first_shard { }
fn main() { touch(); }
`);
    expect(inferredOf(a, "touch")).toEqual(["reads(Shard[0])", "writes(Shard[0])"]);
  });

  it("the effects report (kara query effects) shows keys", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put_one() with writes(Shard[1]) { }
fn main() { put_one(); }
`);
    expect(a.result.reportFor("put_one")).toEqual({
      function: "put_one",
      declared: ["writes(Shard[1])"],
      inferred: ["writes(Shard[1])"],
      pub: false,
      polymorphic: false,
      origins: [{ effect: "writes(Shard[1])", from: "declared", line: 3, column: 1 }],
    });
    expect(a.result.reportFor("main")).toMatchObject({
      inferred: ["writes(Shard[1])"],
      origins: [{ effect: "writes(Shard[1])", from: "call", via: "put_one", line: 4, column: 13 }],
    });
  });

  it("the key parameter of the declaration reaches the typed program", () => {
    const a = analyze(`
effect resource Shard[key: i64];
effect resource Plain;
fn main() { }
`);
    const shard = a.program.resources.find((r) => r.name === "Shard");
    expect(shard?.keyParam).toEqual({ name: "key", type: { kind: "int", name: "i64", bits: 64, signed: true } });
    expect(a.program.resources.find((r) => r.name === "Plain")?.keyParam).toBeUndefined();
  });

  it("E0400 names the keyed atom; its fix declares a literal key as written", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put_one() with writes(Shard[1]) { }
pub fn store() {
    put_one();
}
fn main() { store(); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@4:1"]);
    expect(ds[0].message).toBe(
      "public function 'store' performs effects [writes(Shard[1])] but has no effect declaration. Add: with writes(Shard[1]) to the function signature",
    );
    expect(ds[0].fixes?.[0].replacement).toBe("with writes(Shard[1]) ");
  });

  it("E0400: a callee's named key is declared as the whole resource by the fix", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put(k: i64) with writes(Shard[k]) { }
pub fn store(n: i64) with reads(Shard[0]) {
    put(n);
}
fn main() { store(2); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@4:1"]);
    expect(ds[0].message).toBe("public function 'store' performs writes(Shard[k]) but does not declare it (via call to 'put' at line 5)");
    expect(ds[0].fixes?.[0].replacement).toBe(" writes(Shard)");
  });

  it("pub fn verification matches per (verb, resource): any declared key covers the resource", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn put_two() with writes(Shard[2]) { }
pub fn store() with writes(Shard[1]) {
    put_two();
}
fn main() { store(); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
  });
});
