// A discarded `spawn(..);` / `group.spawn(..);` statement already runs as its own task: automatic
// parallelisation never puts it in a group (it would only add a dispatch around a dispatch).

import { describe, expect, it } from "vitest";
import { reportOf } from "./testutil.js";

const src = `fn heavy(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < 100000000 { acc = (acc + i * n) % 1000; i = i + 1; }
    acc
}
fn fire(n: i64) {
    spawn(|| heavy(n));
    spawn(|| heavy(n + 1));
    let mut g = TaskGroup.new();
    g.spawn(|| heavy(n + 2));
    g.spawn(|| heavy(n + 3));
}
fn both(n: i64) -> i64 {
    let a = heavy(n);
    spawn(|| heavy(n));
    let b = heavy(n + 1);
    a + b
}
fn main() { fire(1); println(both(2)); }
`;

describe("spawn statements and automatic parallelisation", () => {
  it("never groups discarded spawn statements", () => {
    expect(reportOf(src, "fire").parallel_groups).toEqual([]);
  });

  it("leaves a spawn statement between independent statements out of every group", () => {
    const groups = reportOf(src, "both").parallel_groups;
    expect(groups.every((g) => !g.statements.includes(1))).toBe(true);
  });
});
