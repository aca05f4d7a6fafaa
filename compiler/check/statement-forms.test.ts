// Parallel assignment, statement `if`/`match` whose arms differ, indexing with any integer type,
// integer range exhaustiveness and default parameter values.

import { describe, expect, it } from "vitest";
import { Codes } from "./codes.js";
import { errs, fn, messages, nodes, ok } from "./testutil.js";

const main = (body: string, items = "") => `${items}\nfn main() {\n${body}\n}\n`;

describe("parallel assignment", () => {
  it("evaluates every value into a temporary before writing any target", () => {
    const p = ok(main("let mut a = 1;\nlet mut b = 2;\na, b = b, a;"));
    const block = nodes(fn(p, "main").body, "block").find((b) => (b.stmts as { kind: string }[]).some((s) => s.kind === "assign"))!;
    expect((block.stmts as { kind: string }[]).map((s) => s.kind)).toEqual(["let", "let", "assign", "assign"]);
  });

  it("gives literals the types of their targets and writes Map entries", () => {
    ok(main('let mut x: i32 = 0;\nlet mut y: u8 = 0;\nx, y = -5, 250;\nlet mut m: Map[String, i64] = Map.new();\nm["a"], m["b"] = 1, 2;'));
  });

  it("checks each target like a single assignment", () => {
    expect(errs(main("let mut a = 1;\nlet b = 2;\na, b = b, a;"))).toEqual([`${Codes.AssignImmutable} 5:4`]);
    expect(errs(main('let mut a = 1;\nlet mut s = "x";\na, s = s, a;'))).toEqual([`${Codes.Mismatch} 5:8`, `${Codes.Mismatch} 5:11`]);
  });
});

describe("an if / match whose value is unused", () => {
  it("may have arms of different types as a statement or a loop body's tail", () => {
    ok(main("let k = 1;\nmatch k { 1 => 2, _ => {} }\nif k > 0 { 5 } else if k < 0 { } else { 7 }\nfor i in 0..3 {\n    match i { 0 => 1, _ => {} }\n}"));
    ok(main("let o: Option[i64] = None;\nif let Some(x) = o { x } else { println(\"none\"); }\nprintln(\"after\");"));
  });

  it("still needs agreeing arms when the value is used", () => {
    expect(errs(main("let k = 1;\nlet x = match k { 1 => 2, _ => {} };"))).toEqual([`${Codes.Mismatch} 4:32`]);
    expect(errs(main("let k = 1;\nlet x = if k > 0 { 1 } else { };"))).toEqual([`${Codes.Mismatch} 4:29`]);
  });

  it("still rejects a loop body whose agreeing value is discarded", () => {
    expect(messages(main("for i in 0..3 {\n    if i > 1 { i } else { 0 }\n}"))[0]).toContain("a loop body's value is discarded");
  });
});

describe("indexing with any integer type", () => {
  it("converts the index to i64", () => {
    const p = ok(main("let v = [1, 2, 3];\nlet i: u8 = 1;\nlet j: u64 = 2;\nlet s = v[i..j];\nprintln(f\"{v[i]} {s.len()}\");"));
    expect(nodes(fn(p, "main").body, "cast").length).toBe(3);
  });

  it("rejects an index that is not an integer", () => {
    expect(errs(main("let v = [1, 2, 3];\nlet c = 'a';\nlet x = v[c];"))).toEqual([`${Codes.BadIndex} 5:11`]);
  });
});

describe("integer range exhaustiveness", () => {
  it("accepts ranges that cover the type, open at either end", () => {
    ok("fn f(x: i64) -> i64 {\n    match x { ..=-1 => 0, 0 => 1, 1.. => 2 }\n}\nfn g(b: u8) -> i64 {\n    match b { ..10 => 0, 10..=254 => 1, 255 => 2 }\n}\nfn main() {}\n");
  });

  it("names the first uncovered value", () => {
    const src = "fn f(x: i8) -> i64 {\n    match x { ..0 => 0, 0..=100 => 1 }\n}\nfn main() {}\n";
    expect(errs(src)).toEqual([`${Codes.NonExhaustive} 2:5`]);
    expect(messages(src)[0]).toContain("`101`");
  });

  it("works inside tuples", () => {
    ok("fn f(p: (bool, u8)) -> i64 {\n    match p { (true, _) => 0, (false, ..128) => 1, (false, 128..) => 2 }\n}\nfn main() {}\n");
    expect(errs("fn f(p: (bool, u8)) -> i64 {\n    match p { (true, ..=5) => 0, (false, _) => 1 }\n}\nfn main() {}\n")).toEqual([`${Codes.NonExhaustive} 2:5`]);
  });
});

describe("default parameter values", () => {
  it("fill trailing arguments of functions, methods and generic functions", () => {
    ok(main("println(f\"{add(1)} {add(1, 2)}\");\nlet mut c = C { n: 0 };\nc.bump();\nprintln(f\"{pick(3)}\");", "const BASE: i64 = 100;\nstruct C { mut n: i64 }\nimpl C {\n    fn bump(mut ref self, by: i64 = 1) { self.n += by; }\n}\nfn add(a: i64, b: i64 = BASE + 1) -> i64 { a + b }\nfn pick[T](x: T, o: Option[T] = None) -> T { match o { Some(v) => v, None => x } }"));
  });

  it("cannot use parameters or locals; a missing argument without a default is still an error", () => {
    const src = main("println(f\"{f(1)}\");", "fn f(a: i64, b: i64 = a) -> i64 { a + b }");
    expect(errs(src)).toEqual([`${Codes.Unsupported} 1:23`, `${Codes.ArgCount} 3:12`]);
    expect(errs(main("let x = g();", "fn g(a: i64, b: i64 = 2) -> i64 { a + b }"))).toEqual([`${Codes.ArgCount} 3:9`]);
  });
});
