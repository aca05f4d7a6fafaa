// Heap blocks of copy-class values (closure environments, tuples, slice headers) are freed by
// their owner: each program below makes a million of them in a loop on a 4 MiB memory, so any
// leak runs out of memory, and the heap must stay small. Expected sums are computed here in JS.

import { describe, expect, it } from "vitest";
import { RT } from "./runtime/memory.js";
import { run } from "./test/pipeline.js";

const N = 1_000_000;

function runSmall(src: string): { stdout: string; heapTop: number; exitCode: number } {
  const r = run(src, { pages: 64 });
  return { stdout: r.stdout, exitCode: r.exitCode, heapTop: new Int32Array(r.memory.buffer)[RT.HEAP_TOP >>> 2] };
}

function sum(n: number, f: (i: number) => number): string {
  let t = 0n;
  for (let i = 0; i < n; i++) t += BigInt(f(i));
  return `${t}\n`;
}

function expectBounded(src: string, expected: string): void {
  const r = runSmall(src);
  expect(r.stdout).toBe(expected);
  expect(r.exitCode).toBe(0);
  expect(r.heapTop).toBeLessThan(64 * 1024);
}

describe("closure environments are freed", () => {
  it("closures made, copied, passed and called in a loop", () => {
    expectBounded(
      `fn adder(n: i64) -> Fn(i64) -> i64 { |x| x + n }
fn apply(f: Fn(i64) -> i64, x: i64) -> i64 { f(x) }
fn main() {
    let mut total = 0;
    for i in 0..${N} {
        let k = i % 7;
        let f = |x: i64| x * k;
        let g = f;
        total += f(2) + g(1) + apply(g, 3) + adder(k)(1);
    }
    println(total);
}
`,
      sum(N, (i) => 2 * (i % 7) + (i % 7) + 3 * (i % 7) + (i % 7) + 1),
    );
  });

  it("closures owning a captured String, and closures capturing closures", () => {
    expectBounded(
      `fn main() {
    let mut total = 0;
    for i in 0..${N} {
        let name = f"n{i % 10}";
        let shout = || name + "!";
        let twice = || shout().len() * 2;
        total += twice();
    }
    println(total);
}
`,
      sum(N, () => 6),
    );
  });

  it("closures stored in a Vec and dropped with it", () => {
    expectBounded(
      `fn main() {
    let mut total = 0;
    for i in 0..${N / 4} {
        let mut fs: Vec[Fn(i64) -> i64] = Vec.new();
        let label = f"x{i % 3}";
        for k in 0..4 {
            fs.push(|x| x + k + label.len());
        }
        let copy = fs[1];
        total += copy(0);
        for f in fs { total += f(i); }
    }
    println(total);
}
`,
      sum(N / 4, (i) => 1 + 2 + 4 * i + (0 + 1 + 2 + 3) + 4 * 2),
    );
  });
});

describe("tuples are freed", () => {
  it("scalar tuples made, copied, mutated and passed in a loop", () => {
    expectBounded(
      `fn swap(p: (i64, i64)) -> (i64, i64) { (p.1, p.0) }
fn main() {
    let mut total = 0;
    let mut acc = (0, 0);
    for i in 0..${N} {
        let p = (i, i % 5);
        let mut q = swap(p);
        q.0 = q.0 + 1;
        let nested = ((i % 3, 1), p);
        let (a, b) = nested.0;
        acc = (acc.0 + 1, q.0);
        total += p.0 - q.1 + a + b + nested.1.1;
    }
    println(f"{total} {acc}");
}
`,
      `${sum(N, (i) => i % 3 + 1 + (i % 5))} (${N}, ${(N - 1) % 5 + 1})\n`.replace("\n ", " "),
    );
  });

  it("tuples holding Strings, and tuples in a Vec", () => {
    expectBounded(
      `fn main() {
    let mut total = 0;
    for i in 0..${N / 2} {
        let t = (f"k{i % 10}", i);
        let u = t;
        let mut ps: Vec[(i64, i64)] = Vec.new();
        ps.push((i, 1));
        ps.push((2, i));
        let first = ps[0];
        total += u.0.len() + u.1 + first.1 + ps[1].0;
    }
    println(total);
}
`,
      sum(N / 2, (i) => 2 + i + 1 + 2),
    );
  });
});

describe("slice headers are freed", () => {
  it("sub-slices and Vec/Array arguments to Slice parameters in a loop", () => {
    expectBounded(
      `fn total(s: Slice[i64]) -> i64 {
    let mut t = 0;
    for x in s { t += x; }
    t
}
fn main() {
    let v = [1, 2, 3, 4, 5];
    let a = Array[10, 20, 30];
    let mut sum = 0;
    for i in 0..${N} {
        let lo = i % 3;
        let s = v[lo..lo + 2];
        let inner = s[1..];
        sum += total(s) + total(v) + total(a) + total(inner) + total(a[..lo]);
    }
    println(sum);
}
`,
      sum(N, (i) => {
        const lo = i % 3;
        const v = [1, 2, 3, 4, 5];
        const a = [10, 20, 30];
        return v[lo] + v[lo + 1] + 15 + 60 + v[lo + 1] + a.slice(0, lo).reduce((x, y) => x + y, 0);
      }),
    );
  });
});
