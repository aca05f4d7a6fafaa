// Or-pattern bindings, slice patterns, struct update, `??` / `?.` / `|>`, generic functions as values.
import { describe, expect, it } from "vitest";
import { errs, fn, local, localType, messages, nodes, ok } from "./testutil.js";

const main = (body: string, items = ""): string => `${items}\nfn main() {\n${body}\n}\n`;
const SHAPE = "enum Shape { Circle(i64), Ring(i64), Square(i64, i64) }";

describe("bindings inside | patterns", () => {
  it("every alternative fills the same local", () => {
    const p = ok(main("let s = Shape.Ring(2);\nmatch s {\n  Shape.Circle(r) | Shape.Ring(r) => println(r),\n  Shape.Square(a, _) => println(a),\n}", SHAPE));
    const binds = nodes(fn(p, "main"), "bind").map((b) => b.local);
    const r = local(fn(p, "main"), "r").id;
    expect(binds.filter((x) => x === r).length).toBe(2);
    expect(p.functions.find((f) => f.name === "main")!.locals.filter((l) => l.name === "r").length).toBe(1);
  });

  it("nested or-patterns and if let share bindings", () => {
    ok(main("let o: Option[Result[i64, i64]] = Some(Ok(1));\nif let Some(Ok(v) | Err(v)) = o { println(v); }"));
    ok(main("let t = (1, 2);\nmatch t {\n  (a, 0) | (0, a) => println(a),\n  _ => println(0),\n}"));
  });

  it("a name missing from an alternative is E0290 at that alternative", () => {
    expect(errs(main("let s = Shape.Ring(2);\nmatch s {\n  Shape.Circle(r) | Shape.Square(_, _) => println(1),\n  _ => println(2),\n}", SHAPE))).toEqual(["E0290 5:21"]);
    expect(errs(main("let s = Shape.Ring(2);\nmatch s {\n  Shape.Circle(_) | Shape.Ring(q) => println(1),\n  _ => println(2),\n}", SHAPE))).toEqual(["E0290 5:32"]);
    expect(messages(main("let s = Shape.Ring(2);\nmatch s {\n  Shape.Circle(r) | Shape.Square(_, _) => println(1),\n  _ => println(2),\n}", SHAPE))[0]).toContain("`r`");
  });

  it("the same name with different types is E0200", () => {
    expect(errs(main('let t = (1, "a");\nmatch t {\n  (x, "b") | (_, x) => println(1),\n  _ => println(2),\n}'))).toEqual(["E0200 5:18"]);
  });

  it("or-patterns with bindings still count for exhaustiveness", () => {
    ok(main("let s = Shape.Ring(2);\nlet n = match s {\n  Shape.Circle(r) | Shape.Ring(r) | Shape.Square(r, _) => r,\n};\nprintln(n);", SHAPE));
    expect(errs(main("let s = Shape.Ring(2);\nlet n = match s {\n  Shape.Circle(r) | Shape.Ring(r) => r,\n};\nprintln(n);", SHAPE))).toEqual(["E0205 4:9"]);
  });
});

describe("slice patterns", () => {
  it("bind prefix, suffix and a rest slice", () => {
    const p = ok(main("let v = [1, 2, 3];\nmatch v {\n  [a, b, rest @ ..] => println(a + b + rest.len()),\n  _ => println(0),\n}"));
    expect(localType(p, "main", "rest")).toBe("Slice[i64]");
    const p2 = ok(main("let v = [1, 2, 3];\nmatch v {\n  [h, ..tail] => println(h + tail.len()),\n  [] => println(0),\n}"));
    expect(localType(p2, "main", "tail")).toBe("Slice[i64]");
    expect(nodes(fn(p2, "main"), "slice").length).toBeGreaterThan(0);
  });

  it("exhaustiveness is by length", () => {
    ok(main("let v = [1];\nmatch v {\n  [] => println(0),\n  [x] => println(x),\n  [x, .., y] => println(x + y),\n}"));
    ok(main("let v = [1];\nmatch v {\n  [] => println(0),\n  [_, ..] => println(1),\n}"));
    expect(errs(main("let v = [1];\nmatch v {\n  [] => println(0),\n  [x] => println(x),\n}"))).toEqual(["E0205 4:1"]);
    expect(messages(main("let v = [1];\nmatch v {\n  [] => println(0),\n  [x] => println(x),\n}"))[0]).toContain("[_, _, ..]");
    expect(errs(main("let v = [1];\nmatch v {\n  [x, ..] => println(x),\n}"))).toEqual(["E0205 4:1"]);
    expect(messages(main("let v = [1];\nmatch v {\n  [x, ..] => println(x),\n}"))[0]).toContain("`[]`");
  });

  it("arrays have one length", () => {
    ok(main("let a = Array[1, 2, 3];\nmatch a {\n  [x, _, z] => println(x + z),\n}"));
    ok(main("let a = Array[1, 2, 3];\nlet [x, y, z] = a;\nprintln(x + y + z);"));
    expect(errs(main("let a = Array[1, 2, 3];\nmatch a {\n  [x, y] => println(x + y),\n  _ => println(0),\n}"))).toEqual(["E0200 5:3"]);
  });

  it("rejects strings, two rests and refutable lets", () => {
    expect(errs(main('let s = "ab";\nmatch s {\n  [a, ..] => println(1),\n  _ => println(0),\n}'))).toEqual(["E0291 5:3"]);
    expect(errs(main("let v = [1];\nmatch v {\n  [.., x, ..] => println(x),\n  _ => println(0),\n}"))).toEqual(["E0291 5:11"]);
    expect(errs(main("let v = [1];\nlet [x] = v;\nprintln(x);"))).toEqual(["E0222 4:5"]);
    ok(main("let v = [1];\nlet [..] = v;"));
  });
});

describe("struct update", () => {
  const P = "struct P { x: i64, y: i64, name: String }";
  it("copies the unwritten fields; a place base stays usable", () => {
    ok(main('let b = P { x: 1, y: 2, name: "b" };\nlet q = P { x: 5, ..b };\nprintln(q.y);\nprintln(b.name);', P));
  });
  it("base of another type is E0200 at the base", () => {
    expect(errs(main("let b = (1, 2);\nlet q = P { x: 5, ..b };", "struct P { x: i64, y: i64 }"))).toEqual(["E0200 4:21"]);
  });
  it("unknown and duplicate fields are still reported", () => {
    expect(errs(main('let b = P { x: 1, y: 2, name: "b" };\nlet q = P { z: 5, ..b };', P))).toEqual(["E0204 4:13"]);
  });
});

describe("?? ?. |>", () => {
  it("?? yields the payload type; Option ?? Option stays an Option", () => {
    const p = ok(main("let o: Option[i64] = None;\nlet a = o ?? 3;\nlet r: Result[String, i64] = Err(1);\nlet b = r ?? \"x\";\nlet c = o ?? Some(4);\nprintln(a);\nprintln(b);\nprintln(c);"));
    expect(localType(p, "main", "a")).toBe("i64");
    expect(localType(p, "main", "b")).toBe("String");
    expect(localType(p, "main", "c")).toBe("Option[i64]");
  });
  it("?? on a non-Option is E0208; a wrong default is E0200", () => {
    expect(errs(main("let a = 1 ?? 2;"))).toEqual(["E0208 3:9"]);
    expect(errs(main('let o: Option[i64] = None;\nlet a = o ?? "x";'))).toEqual(["E0200 4:14"]);
  });
  it("?. wraps fields and method results in Option, flattening Options", () => {
    const items = "struct In { n: i64, o: Option[i64] }\nstruct Out { i: Option[In] }";
    const p = ok(main("let x = Out { i: None };\nlet a = x.i?.n;\nlet b = x.i?.o;\nlet c = x.i?.n.to_string();\nprintln(a);\nprintln(b);", items));
    expect(localType(p, "main", "a")).toBe("Option[i64]");
    expect(localType(p, "main", "b")).toBe("Option[i64]");
    expect(errs(main("let x = 1;\nlet a = x?.n;"))).toEqual(["E0200 4:9"]);
  });
  it("|> calls with the value as first argument or at the _ hole", () => {
    const items = "fn sub(a: i64, b: i64) -> i64 { a - b }\nfn neg(a: i64) -> i64 { -a }";
    const p = ok(main("let a = 5 |> neg;\nlet b = 5 |> sub(1);\nlet c = 5 |> sub(1, _);\nprintln(a + b + c);", items));
    expect(nodes(fn(p, "main"), "call").length).toBe(3);
    expect(errs(main("let c = 5 |> sub(_, _);", items))).toEqual(["E0200 4:21"]);
    expect(errs(main('let c = "s" |> neg;', items))).toEqual(["E0200 4:9"]);
  });
});

describe("generic functions as values", () => {
  const items = "fn max_of[T: Ord](a: T, b: T) -> T { if a > b { a } else { b } }\nfn apply(f: Fn(i64, i64) -> i64) -> i64 { f(1, 2) }";
  it("inferred from the parameter type, or given explicitly", () => {
    const p = ok(main("println(apply(max_of));\nlet m = max_of[String];\nprintln(m(\"a\", \"b\"));", items));
    const names = p.functions.map((f) => f.name);
    expect(names).toContain("max_of[i64]");
    expect(names).toContain("max_of[String]");
    const refs = nodes(fn(p, "main"), "fnRef") as { fn: number }[];
    expect(refs.every((r) => r.fn >= 0)).toBe(true);
  });
  it("unsolvable or ill-bounded instances are reported", () => {
    expect(errs(main("let m = max_of;", items))[0]).toBe("E0238 4:9");
    expect(errs(main("let m = max_of[f64];", items))).toEqual(["E0232 4:9"]);
    expect(errs(main("let m = max_of[i64, i64];", items))).toEqual(["E0202 4:9"]);
  });
});

describe("or-patterns in let and optional chains as places", () => {
  it("a let accepts alternatives that together cover the value", () => {
    ok(main("let t: Result[i64, i64] = Ok(3);\nlet Ok(y) | Err(y) = t;\nprintln(y);"));
    expect(errs(main("let t: Option[i64] = None;\nlet Some(y) | Some(y) = t;\nprintln(y);"))).toEqual(["E0222 4:5"]);
  });
  it("assigning through `?.` is E0281", () => {
    expect(errs(main("let mut o: Option[P] = None;\no?.x = 5;", "struct P { x: i64 }"))).toEqual(["E0281 4:1"]);
  });
});

describe("pipe stages with ?", () => {
  it("`x |> f?` applies ? to the stage result", () => {
    const items = "fn half(n: i64) -> Result[i64, String] { if n % 2 == 0 { Ok(n / 2) } else { Err(\"odd\") } }\nfn q(n: i64) -> Result[i64, String] { let v = n |> half? |> half?; Ok(v) }";
    const p = ok(main("println(q(8));", items));
    expect(nodes(fn(p, "q"), "return").length).toBe(2);
    expect(errs(main("let v = 3 |> half?;", items))[0]).toMatch(/^E0228 /);
  });
});

describe("one diagnostic per mistake", () => {
  it("a generic function in a non-function slot is one E0200", () => {
    expect(errs(main("let x: i64 = same;", "fn same[T](x: T) -> T { x }"))).toEqual(["E0200 3:14"]);
  });
  it("a slice pattern on a value of unknown type asks for an annotation", () => {
    expect(errs(main("let f = |v| match v { [a] => a, _ => 0 };"))).toEqual(["E0238 3:23"]);
  });
});
