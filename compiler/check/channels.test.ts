// Channels and fences through the front end, the effect phase and the concurrency phase:
// typing (element inference, explicit element types, method errors), E0253 / E0254 on sends,
// fence orderings, the effect atoms of channel operations, and that no statement with a channel
// operation is ever auto-parallelised.

import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "./index.js";
import { analyze, inferredOf, pipeline } from "../effects/testing.js";
import { reportOf } from "../concurrency/testutil.js";

function diags(src: string): string[] {
  const p = parse(src, "t.kara");
  const c = check(p.program);
  return [...p.diagnostics, ...c.diagnostics].filter((d) => d.severity === "error").map((d) => `${d.code}@${d.span.line}`);
}

function typeOfLocal(src: string, fnName: string, local: string): string {
  const p = parse(src, "t.kara");
  const c = check(p.program);
  expect(c.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const fn = c.program!.functions.find((f) => f.name === fnName)!;
  const l = fn.locals.find((x) => x.name === local)!;
  return JSON.stringify(l.type);
}

describe("channel typing", () => {
  it("infers the element type from the first send", () => {
    const src = `fn main() {
    let (tx, rx) = Channel.new();
    tx.send("hi");
    let s = rx.recv();
    println(s);
}`;
    expect(typeOfLocal(src, "main", "tx")).toBe(JSON.stringify({ kind: "sender", elem: { kind: "string" } }));
    expect(typeOfLocal(src, "main", "s")).toBe(JSON.stringify({ kind: "string" }));
  });

  it("takes an explicit element type, and try_recv gives Option[T]", () => {
    const src = `fn main() {
    let (tx, rx) = Channel.new[u8]();
    tx.send(7);
    let o = rx.try_recv();
    let c = tx.clone();
    c.send(1);
    match o { Some(v) => println(v), None => println("none") }
}`;
    expect(typeOfLocal(src, "main", "rx")).toContain('"kind":"receiver"');
    expect(typeOfLocal(src, "main", "rx")).toContain('"name":"u8"');
    expect(typeOfLocal(src, "main", "o")).toContain('"name":"Option[u8]"');
    expect(typeOfLocal(src, "main", "c")).toContain('"kind":"sender"');
  });

  it("takes the element type from an annotation", () => {
    const src = `fn main() {
    let (tx, rx): (Sender[i32], Receiver[i32]) = Channel.new();
    tx.send(1);
    println(rx.recv());
}`;
    expect(typeOfLocal(src, "main", "tx")).toContain('"name":"i32"');
  });

  it("reports a channel whose element type nothing pins once, at Channel.new", () => {
    expect(
      diags(`fn main() {
    let (a, b) = Channel.new();
    let (c, d) = Channel.new();
    c.send(1);
}`),
    ).toEqual(["E0238@2"]);
  });

  it("rejects a send of the wrong type, unknown methods and wrong arities", () => {
    expect(
      diags(`fn main() {
    let (tx, rx) = Channel.new[i64]();
    tx.send("no");
    rx.peek();
    tx.send(1, 2);
    let v = rx.recv(1);
    let w = Channel.new(3);
}`),
    ).toEqual(["E0200@3", "E0236@4", "E0202@5", "E0202@6", "E0202@7"]);
  });

  it("moves channel ends: a Sender passed by value cannot be used again", () => {
    const errs = diags(`fn take(tx: Sender[i64]) { tx.send(1); }
fn main() {
    let (tx, rx) = Channel.new[i64]();
    take(tx);
    tx.send(2);
    println(rx.recv());
}`);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/@5$/);
  });

  it("rejects sending a TaskHandle or a TaskGroup (E0253)", () => {
    expect(
      diags(`fn main() {
    let (tx, rx) = Channel.new();
    let h = spawn(|| 1);
    tx.send(h);
}`),
    ).toEqual(["E0253@4"]);
  });

  it("rejects sending a value that cannot cross a task boundary (E0254)", () => {
    const d = pipeline(`shared struct Node { v: i64 }
fn main() {
    let (tx, rx) = Channel.new();
    tx.send(Node { v: 1 });
    let n = rx.recv();
    println(n.v);
}`);
    expect(d.filter((x) => x.severity === "error").map((x) => `${x.code}@${x.span.line}`)).toEqual(["E0254@4"]);
  });
});

describe("fences", () => {
  it("accept every literal ordering but Relaxed", () => {
    expect(
      diags(`fn main() {
    fence(MemoryOrdering.SeqCst);
    fence(MemoryOrdering.Acquire);
    compiler_fence(MemoryOrdering.Release);
    compiler_fence(MemoryOrdering.AcqRel);
}`),
    ).toEqual([]);
  });

  it("reject Relaxed (E0283) and a missing or non-literal ordering (E0270)", () => {
    expect(
      diags(`fn main() {
    fence(MemoryOrdering.Relaxed);
    compiler_fence(MemoryOrdering.Relaxed);
    fence();
    let o = 1;
    compiler_fence(o);
}`),
    ).toEqual(["E0283@2", "E0283@3", "E0270@4", "E0270@6"]);
  });
});

describe("channel effects", () => {
  it("Channel.new and send allocate, recv suspends, try_recv and clone add nothing", () => {
    const a = analyze(`
fn make() -> i64 {
    let (tx, rx) = Channel.new[i64]();
    0
}
fn put(tx: ref Sender[i64]) { tx.send(1); }
fn get(rx: ref Receiver[i64]) -> i64 { rx.recv() }
fn peek(rx: ref Receiver[i64]) -> Option[i64] { rx.try_recv() }
fn dup(tx: ref Sender[i64]) -> Sender[i64] { tx.clone() }
fn main() {
    let (tx, rx) = Channel.new[i64]();
    put(tx);
    println(get(rx));
    let _ = peek(rx);
    let t2 = dup(tx);
    println(make());
}
`);
    expect(inferredOf(a, "make")).toEqual(["allocates(Heap)"]);
    expect(inferredOf(a, "put")).toEqual(["allocates(Heap)"]);
    expect(inferredOf(a, "get")).toEqual(["suspends"]);
    expect(inferredOf(a, "peek")).toEqual([]);
    expect(inferredOf(a, "dup")).toEqual([]);
  });
});

describe("auto-parallelisation around channel statements", () => {
  const body = (middle: string) => `
effect resource A;
effect resource B;
fn fa(x: i64) -> i64 reads(A) { x + 1 }
fn fb(x: i64) -> i64 reads(B) { x + 2 }
fn work(tx: ref Sender[i64], rx: ref Receiver[i64]) -> i64 {
    let a = fa(1);
    let b = fb(2);
${middle}
    let c = fa(3);
    let d = fb(4);
    a + b + c + d
}
fn main() {
    let (tx, rx) = Channel.new[i64]();
    tx.send(5);
    println(work(tx, rx));
}
`;

  it("groups the independent statements around a channel statement but never the channel statement", () => {
    for (const middle of ["    tx.send(a);", "    let r = rx.recv();", "    let o = rx.try_recv();", "    let (t2, r2) = Channel.new[i64]();"]) {
      const r = reportOf(body(middle), "work");
      const groups = r.parallel_groups.map((g) => g.statements);
      expect(groups, middle).toEqual([
        [0, 1],
        [3, 4],
      ]);
    }
  });

  it("groups the same statements across a plain statement (the control case)", () => {
    const r = reportOf(body("    let z = fa(9);"), "work");
    expect(r.parallel_groups.map((g) => g.statements)).toEqual([[0, 1, 2, 3, 4]]);
  });
});
