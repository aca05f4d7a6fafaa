// Mutation facts of the library forms that write a collection through something other than a
// plain method call on it: the Entry API's `and_modify`, `iter_mut().for_each(..)`, the halves of
// `split_at_mut` and `as_slice_mut` views, and `Map.merge` / `String.slice`, which only read.
// Automatic parallelisation must keep each write in order with the reads of the same collection,
// and may still group statements that touch different collections.

import { describe, expect, it } from "vitest";
import { BUILTIN_REGISTRY } from "../tir/builtins.js";
import { reportOf } from "./testutil.js";

const src = `fn fill(s: mut Slice[i64], x: i64) {
    for i in 0..s.len() { s[i] = x + i; }
}
fn total(s: Slice[i64]) -> i64 {
    let mut t = 0;
    for x in s { t += x; }
    t
}
fn modify() {
    let mut counts: Map[String, i64] = Map.new();
    let mut other: Map[String, i64] = Map.new();
    counts.entry("a").and_modify(|v| { *v += 1; }).or_insert(1);
    other.entry("b").and_modify(|v| { *v += 1; }).or_insert(1);
    let n = counts.len();
    println(f"{n} {other.len()}");
}
fn modify_only() {
    let mut counts: Map[String, i64] = Map.new();
    counts.insert("a", 1);
    let before = counts["a"];
    counts.entry("a").and_modify(|v| { *v += 1; });
    println(f"{before} {counts["a"]}");
}
fn for_each_mut() {
    let mut v = [1, 2, 3];
    let mut w = [4, 5, 6];
    let before = total(v);
    v.iter_mut().for_each(|x| { *x += 1; });
    w.iter_mut().enumerate().for_each(|(i, x)| { *x += i; });
    println(f"{before} {total(v)} {total(w)}");
}
fn halves() {
    let mut v = [1, 2, 3, 4, 5];
    let (a, b) = v.split_at_mut(2);
    fill(a, 10);
    let seen = total(v);
    fill(b, 20);
    println(f"{seen} {total(v)}");
}
fn whole_view() {
    let mut v = [1, 2, 3];
    let s = v.as_slice_mut();
    s[0] = 7;
    let t = total(v);
    println(t);
}
fn merge_reads() {
    let mut a = [1: 10, 2: 20];
    let b = [2: 30, 3: 40];
    let c = a.merge(b);
    let d = b.len();
    a.insert(9, 90);
    println(f"{c.len()} {d} {a.len()}");
}
fn main() { modify(); modify_only(); for_each_mut(); halves(); whole_view(); merge_reads(); }
`;

/** Are statements i and j in one parallel group of fnName? */
function together(fnName: string, i: number, j: number): boolean {
  return reportOf(src, fnName).parallel_groups.some((g) => g.statements.includes(i) && g.statements.includes(j));
}

describe("library forms that write a collection, under automatic parallelisation", () => {
  it("orders entry(k).and_modify(..).or_insert(..) before a later read of the map", () => {
    expect(together("modify", 2, 4)).toBe(false);
    expect(together("modify", 3, 5)).toBe(false);
  });
  it("lets and_modify chains on different maps run together", () => {
    expect(together("modify", 2, 3)).toBe(true);
  });
  it("orders an and_modify without a default after an earlier read", () => {
    expect(together("modify_only", 2, 3)).toBe(false);
  });
  it("orders iter_mut().for_each(..) after an earlier read of the collection", () => {
    expect(together("for_each_mut", 2, 3)).toBe(false);
    expect(together("for_each_mut", 4, 5)).toBe(false);
  });
  it("lets iter_mut().for_each(..) over different collections run together", () => {
    expect(together("for_each_mut", 3, 4)).toBe(true);
  });
  it("orders writes through split_at_mut halves against reads of the split collection", () => {
    expect(together("halves", 2, 3)).toBe(false);
    expect(together("halves", 3, 4)).toBe(false);
    expect(together("halves", 4, 5)).toBe(false);
  });
  it("orders a write through an as_slice_mut view before a later read", () => {
    expect(together("whole_view", 2, 3)).toBe(false);
  });
  it("treats merge as a read of both maps", () => {
    expect(together("merge_reads", 2, 3)).toBe(true);
    expect(together("merge_reads", 2, 4)).toBe(false);
  });
});

describe("registry facts of the added builtins", () => {
  it("merge and slice read their receiver and allocate the result", () => {
    for (const op of ["map.merge", "string.slice"]) {
      expect(BUILTIN_REGISTRY.get(op)?.receiver).toBe("value");
      expect(BUILTIN_REGISTRY.mutatesReceiver(op)).toBe(false);
      expect(BUILTIN_REGISTRY.hasEffect(op, "allocates")).toBe(true);
    }
  });
  it("the ops and_modify moves the value out and back with write the map", () => {
    for (const op of ["map.take_value", "map.put_value"]) {
      expect(BUILTIN_REGISTRY.mutatesReceiver(op)).toBe(true);
      expect(BUILTIN_REGISTRY.effects(op)).toEqual([]);
    }
    expect(BUILTIN_REGISTRY.mutatesReceiver("map.contains_key")).toBe(false);
  });
});
