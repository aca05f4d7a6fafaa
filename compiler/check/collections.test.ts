import { describe, expect, it } from "vitest";
import { errs, fn, localType, nodes, ok } from "./testutil.js";

const main = (body: string, items = ""): string => `${items}\nfn main() {\n${body}\n}\n`;

/** Every place node of a kind in the tree (places are not expressions, so `nodes` sees them too). */
const mapSlots = (root: unknown) => nodes(root, "index").filter((p) => p.coll === "map");

describe("in-place Map updates", () => {
  it("m[k] += 1 in a loop updates the value slot and does not move the key", () => {
    const p = ok(main('let words = ["a", "b", "a"];\nlet mut m: Map[String, i64] = Map.new();\nfor w in words { m.insert(w.clone(), 0); m[w] += 1; }\nprintln(m);'));
    const compound = nodes(fn(p, "main"), "compoundAssign") as { place: { kind: string; coll?: string } }[];
    expect(compound.some((c) => c.place.kind === "index" && c.place.coll === "map")).toBe(true);
  });

  it("m[k].push(x) and m[k][i] = x write through the slot; the entry API carries its default", () => {
    const p = ok(main("let mut m: Map[i64, Vec[i64]] = Map.new();\nm.entry(1).or_insert(Vec.new()).push(2);\nm[1].push(3);\nm[1][0] = 9;\n*m.entry(2).or_insert(Vec.new()) = [1];\nprintln(m);"));
    const slots = mapSlots(fn(p, "main"));
    expect(slots.length).toBeGreaterThanOrEqual(4);
    expect(slots.filter((s) => s.orInsert !== undefined).length).toBe(2);
  });

  it("updating a value of an immutable map is rejected; a missing default is an arity error", () => {
    expect(errs(main('let m: Map[String, i64] = Map.new();\nm["a"] += 1;'))).toEqual(["E0506 4:1"]);
    expect(errs(main("let mut m: Map[i64, i64] = Map.new();\n*m.entry(1).or_insert() += 1;"))[0]).toMatch(/^E0/);
  });
});

describe("sorting and comparisons", () => {
  it("sort_by takes an Ordering comparator and cmp works on ordered values", () => {
    const p = ok(main("let mut v = [3, 1, 2];\nv.sort_by(|a, b| b.cmp(a));\nlet o = 'a'.cmp('b').reverse();\nprintln(v);\nprintln(o);"));
    const ops = nodes(fn(p, "main"), "builtin").map((b) => b.op);
    expect(ops).toContain("vec.sort_by");
    expect(ops).toContain("ordering.reverse");
    expect(localType(p, "main", "o")).toBe("Ordering");
  });

  it("float keys and float elements have no total order", () => {
    expect(errs(main("let mut v = [3, 1];\nv.sort_by_key(|x| x as f64);"))).toEqual(["E0208 4:15"]);
    expect(errs(main("let v = [1.5, 2.5];\nprintln(v.binary_search(1.5));"))).toEqual(["E0208 4:9"]);
    expect(errs(main("let v = [1, 2];\nv.retain(|x| x > 1);"))).toEqual(["E0510 4:1"]);
  });
});

describe("iterator adaptors", () => {
  it("rev on a range walks backwards in place; rev elsewhere collects first", () => {
    const p = ok(main("let a: Vec[i64] = (0..4).rev().collect();\nlet v = [1, 2];\nlet b: Vec[i64] = v.iter().rev().collect();\nprintln(a);\nprintln(b);"));
    const fors = nodes(fn(p, "main"), "for") as { iter: { kind: string; reverse?: boolean } }[];
    expect(fors.filter((f) => f.iter.kind === "range" && f.iter.reverse).length).toBe(2);
    expect(localType(p, "main", "b")).toBe("Vec[i64]");
  });

  it("zip pairs items, flat_map flattens, terminals have Option types", () => {
    const p = ok(main('let v = [1, 2];\nlet w = ["a", "b"];\nlet z: Vec[(i64, String)] = v.iter().zip(w.iter()).collect();\nlet f: Vec[i64] = v.iter().flat_map(|x| [x, x]).collect();\nlet l = v.iter().last();\nlet m = w.iter().max_by_key(|s| s.len());\nprintln(z);\nprintln(f);\nprintln(l);\nprintln(m);'));
    expect(localType(p, "main", "l")).toBe("Option[i64]");
    expect(localType(p, "main", "m")).toBe("Option[String]");
  });

  it("flat_map needs sequence items", () => {
    expect(errs(main("let v = [1, 2];\nlet f: Vec[i64] = v.iter().flat_map(|x| x + 1).collect();"))[0]).toMatch(/^E0200 /);
  });
});

describe("string helpers", () => {
  it("s.parse() takes its integer type from the expected Option; bytes() is a Vec[u8]", () => {
    const p = ok(main('let n: Option[u16] = "7".parse();\nlet b = "hi".bytes();\nprintln(n);\nprintln(b);'));
    expect(nodes(fn(p, "main"), "builtin").some((b) => b.op === "int.parse")).toBe(true);
    expect(localType(p, "main", "b")).toBe("Vec[u8]");
    expect(errs(main('let n = "7".parse();'))).toEqual(["E0238 3:9"]);
  });
});
