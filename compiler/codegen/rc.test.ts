// `shared` structs and enums are reference-counted handles (lower/rc.ts): the object is freed when
// its last holder goes, and its user `Drop` runs then, once. Each program below makes hundreds of
// thousands of objects on a 4 MiB memory, so a leaked object runs out of memory and the heap must
// stay small. Expected sums are computed here in JS.

import { describe, expect, it } from "vitest";
import { RT } from "./runtime/memory.js";
import { run } from "./test/pipeline.js";

const N = 300_000;

function runSmall(src: string): { stdout: string; heapTop: number; exitCode: number } {
  const r = run(src, { pages: 64 });
  return { stdout: r.stdout, exitCode: r.exitCode, heapTop: new Int32Array(r.memory.buffer)[RT.HEAP_TOP >>> 2] };
}

function expectBounded(src: string, expected: string): void {
  const r = runSmall(src);
  expect(r.stdout).toBe(expected);
  expect(r.exitCode).toBe(0);
  expect(r.heapTop).toBeLessThan(64 * 1024);
}

describe("shared objects are freed with their last handle", () => {
  it("handles bound, passed, returned and kept in Option, tuples and Vecs", () => {
    let total = 0n;
    for (let i = 0; i < N; i++) total += BigInt((i % 9) * 4 + 2);
    expectBounded(
      `shared struct Node { val: i64, mut next: Option[Node] }
fn id(n: Node) -> Node { n }
fn val_of(o: Option[Node]) -> i64 { match o { Some(n) => n.val, None => 0 } }
fn main() {
    let mut total = 0;
    for i in 0..${N} {
        let a = Node { val: i % 9, next: None };
        let b = id(a);
        let pair = (a, b);
        let list = Node { val: 1, next: Some(a) };
        let mut v: Vec[Node] = Vec.new();
        v.push(list);
        v.push(pair.1);
        total += a.val + b.val + val_of(Some(pair.0)) + val_of(list.next) + v[0].val + v.len() - 2 + 1;
    }
    println(total);
}
`,
      `${total}\n`,
    );
  });

  it("linked lists built and dropped, and a node replaced in a mut field", () => {
    expectBounded(
      `shared struct Cell { v: i64, mut next: Option[Cell] }
fn build(n: i64) -> Option[Cell] {
    let mut head: Option[Cell] = None;
    for i in 0..n { head = Some(Cell { v: i, next: head }); }
    head
}
fn main() {
    let mut total = 0;
    for round in 0..${N / 100} {
        let list = build(100);
        let mut cur = list;
        while let Some(c) = cur {
            total += c.v;
            cur = c.next;
        }
        if let Some(h) = list { h.next = None; }
    }
    println(total);
}
`,
      `${(N / 100) * 4950}\n`,
    );
  });

  it("shared enums (recursive expression trees)", () => {
    expectBounded(
      `shared enum Expr { Num(i64), Add(Expr, Expr), Neg(Expr) }
fn eval(e: Expr) -> i64 {
    match e {
        Expr.Num(n) => n,
        Expr.Add(a, b) => eval(a) + eval(b),
        Expr.Neg(x) => 0 - eval(x),
    }
}
fn main() {
    let mut total = 0;
    for i in 0..${N} {
        let leaf = Expr.Num(i % 5);
        let e = Expr.Add(leaf, Expr.Neg(Expr.Add(leaf, Expr.Num(1))));
        total += eval(e) + eval(leaf);
    }
    println(total);
}
`,
      `${(() => {
        let t = 0;
        for (let i = 0; i < N; i++) t += -1 + (i % 5);
        return t;
      })()}\n`,
    );
  });
});

describe("user Drop on shared objects", () => {
  it("runs once, when the last handle is released", () => {
    const r = runSmall(`shared struct Res { id: i64 }
impl Drop for Res {
    fn drop(mut ref self) { println(f"release {self.id}"); }
}
fn keep(r: Res) -> Res { r }
fn main() {
    let a = Res { id: 1 };
    {
        let b = a;
        let c = keep(b);
        let v = [c, c];
        println(f"inner {v.len()}");
    }
    println("after inner");
    let o = Some(Res { id: 2 });
    let p = o;
    println("end");
}
`);
    expect(r.stdout).toBe("inner 2\nafter inner\nend\nrelease 2\nrelease 1\n");
  });
});

describe("weak handles", () => {
  it("a parent/child cycle through a weak back-edge is freed with its last strong handle", () => {
    let total = 0n;
    for (let i = 0; i < N; i++) total += BigInt((i % 7) + 1);
    expectBounded(
      `shared struct Node { val: i64, mut parent: weak Node, mut kids: Vec[Node] }
fn main() {
    let mut total = 0;
    for i in 0..${N} {
        let root = Node { val: i % 7, parent: None, kids: [] };
        let kid = Node { val: 1, parent: root, kids: [] };
        root.kids.push(kid);
        match kid.parent { Some(p) => { total += p.val + kid.val; } None => {} }
    }
    println(total);
}
`,
      `${total}\n`,
    );
  });

  it("a weak handle that outlives its object reads None, and its block goes with the last weak handle", () => {
    expectBounded(
      `shared struct Cell { v: i64 }
fn make(v: i64) -> weak Cell {
    let c = Cell { v: v };
    let w: weak Cell = c;
    w
}
fn main() {
    let mut dead = 0;
    let mut keep: Vec[weak Cell] = Vec.new();
    for i in 0..${N} {
        let w = make(i);
        match w { Some(_) => {} None => { dead += 1; } }
        keep.push(w);
        if keep.len() > 8 { keep.clear(); }
    }
    println(dead);
}
`,
      `${N}\n`,
    );
  });

  it("a cycle of strong handles is never freed (as in karac), but the same shape through weak is", () => {
    const cyc = (edge: string): string => `shared struct G { id: i64, mut next: ${edge} }
fn main() {
    for i in 0..${N} {
        let a = G { id: i, next: None };
        let b = G { id: i + 1, next: a };
        a.next = b;
    }
    println("done");
}
`;
    expect(runSmall(cyc("weak G")).heapTop).toBeLessThan(64 * 1024);
    const strong = runSmall(cyc("Option[G]").replace("next: a }", "next: Some(a) }").replace("a.next = b;", "a.next = Some(b);"));
    // Either the strong cycles fill the heap (a trap) or they are left behind: never freed.
    expect(strong.exitCode !== 0 || strong.heapTop > 64 * 1024).toBe(true);
  });
});
