// Joining a task finishes its closure, and so whatever the closure does to what it captured (a
// Mutex, an Atomic, a par struct). Automatic parallelisation must keep every statement that may
// join a task in program order, even when it names none of the captured bindings itself.

import { describe, expect, it } from "vitest";
import { reportOf } from "./testutil.js";

const src = `par struct Counter { value: Mutex[i64] }
fn bump(counter: ref Counter, times: i64) -> i64 {
    lock counter.value v { v = v + times; }
    times
}
fn heavy(n: i64) -> i64 {
    let mut i = 0;
    let mut acc = 0;
    while i < 100000000 { acc = (acc + i * n) % 1000; i = i + 1; }
    acc
}
fn finish(hs: Vec[TaskHandle[i64]]) -> i64 {
    let mut s = 0;
    for h in hs { let x: i64 = h.join(); s = s + x; }
    s
}
fn loop_join() {
    let m = Mutex.new(0);
    let mut tasks: TaskGroup = TaskGroup.new();
    let mut handles: Vec[TaskHandle[i64]] = Vec.new();
    handles.push(tasks.spawn(|| { lock m { m = m + 1; } 1 }));
    for h in handles { let _x: i64 = h.join(); }
    let v = lock m { m };
    println(v);
}
fn struct_join() {
    let counter: Counter = Counter { value: Mutex.new(0) };
    let mut tasks: TaskGroup = TaskGroup.new();
    let h = tasks.spawn(|| bump(counter, 5));
    let _x: i64 = h.join();
    let c = lock counter.value v { v };
    println(c);
}
fn helper_join() {
    let m = Mutex.new(0);
    let mut tasks: TaskGroup = TaskGroup.new();
    let mut handles: Vec[TaskHandle[i64]] = Vec.new();
    handles.push(tasks.spawn(|| { lock m { m = m + 1; } 1 }));
    let s = finish(handles);
    let v = lock m { m };
    println(f"{s} {v}");
}
fn unrelated() -> i64 {
    let a = heavy(1);
    let b = heavy(2);
    a + b
}
fn main() { loop_join(); struct_join(); helper_join(); println(unrelated()); }
`;

/** Is statement `i` in a group with a later statement? */
function groupedWithLater(fnName: string, i: number): boolean {
  return reportOf(src, fnName).parallel_groups.some((g) => g.statements.includes(i) && g.statements.some((s) => s > i));
}

describe("statements that join tasks under automatic parallelisation", () => {
  it("keeps a for loop joining handles before a later lock of the captured mutex", () => {
    expect(groupedWithLater("loop_join", 4)).toBe(false);
    const points = reportOf(src, "loop_join").serialization_points;
    expect(points.some((p) => p.statements[0] === 4 && p.statements[1] === 5)).toBe(true);
  });

  it("keeps a join before a later lock of a captured par struct's mutex", () => {
    expect(groupedWithLater("struct_join", 3)).toBe(false);
  });

  it("keeps a call handed the handles before a later lock", () => {
    expect(groupedWithLater("helper_join", 4)).toBe(false);
  });

  it("still groups independent statements that hold no task handle", () => {
    expect(reportOf(src, "unrelated").parallel_groups.map((g) => g.statements)).toEqual([[0, 1]]);
  });
});
