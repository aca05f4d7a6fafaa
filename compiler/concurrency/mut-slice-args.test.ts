// A `mut Slice[T]` argument lends the caller's elements to the callee for writing. Automatic
// parallelisation must order such a call after earlier reads and before later reads of the
// collection, whether the view is the whole Vec, an Array, a sub-range or a field.

import { describe, expect, it } from "vitest";
import { reportOf } from "./testutil.js";

const src = `struct Grid { cells: Vec[i64] }
fn fill(s: mut Slice[i64], start: i64) {
    for i in 0..s.len() { s[i] = start + i; }
}
fn total(s: Slice[i64]) -> i64 {
    let mut t = 0;
    for x in s { t += x; }
    t
}
fn whole() {
    let mut v = [0, 0, 0, 0];
    let before = total(v);
    fill(mut v, 1);
    println(f"{before} {total(v)}");
}
fn sub_range() {
    let mut v = [0, 0, 0, 0];
    fill(mut v[1..3], 7);
    let after = total(v);
    println(after);
}
fn array_and_field() {
    let mut a = Array[0, 0, 0];
    let mut g = Grid { cells: [0, 0] };
    fill(mut a, 2);
    fill(mut g.cells, 3);
    println(f"{total(a)} {total(g.cells)}");
}
fn main() { whole(); sub_range(); array_and_field(); }
`;

/** Are statements i and j in one parallel group? */
function together(fnName: string, i: number, j: number): boolean {
  return reportOf(src, fnName).parallel_groups.some((g) => g.statements.includes(i) && g.statements.includes(j));
}

describe("mut Slice arguments under automatic parallelisation", () => {
  it("orders a write through a whole-Vec view after an earlier read", () => {
    expect(together("whole", 1, 2)).toBe(false);
    expect(together("whole", 2, 3)).toBe(false);
  });
  it("orders a write through a sub-range view before a later read", () => {
    expect(together("sub_range", 1, 2)).toBe(false);
  });
  it("still lets writes to different collections run together", () => {
    expect(together("array_and_field", 2, 3)).toBe(true);
  });
});
