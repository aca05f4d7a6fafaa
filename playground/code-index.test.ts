import { describe, expect, it } from "vitest";
import { compile, compileFiles } from "../compiler/compile.js";
import { indexProgramFile, indexSource, type CodeIndex } from "./code-index.js";
import { localsInScope, membersAfter, namesAt, symbolAt } from "./code-lookup.js";

const source = `effect resource Db;

struct Point { x: i64, mut y: i64 }

impl Point {
    fn norm(ref self) -> i64 { self.x * self.x + self.y * self.y }
}

fn fetch(id: i64) -> String with reads(Db) {
    f"row {id}"
}

fn main() {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    let p = Point { x: 1, y: 2 };
    for i in 0..3 {
        v.push(i);
    }
    let s = fetch(p.norm());
    println(s);
}
`;

async function index(text: string): Promise<CodeIndex> {
  const result = await compile(text, { checkOnly: true });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const built = await indexSource(text, "main.kara", result.effects);
  expect(built).toBeDefined();
  return built!;
}

const at = (text: string, needle: string, nth = 0): number => {
  let pos = -1;
  for (let i = 0; i <= nth; i++) pos = text.indexOf(needle, pos + 1);
  if (pos < 0) throw new Error(`no ${needle}`);
  return pos;
};

describe("code index", () => {
  it("gives a function's signature with its inferred effects, at its uses and its definition", async () => {
    const idx = await index(source);
    const use = symbolAt(idx, at(source, "fetch(p") + 2);
    expect(use?.detail).toBe("fn fetch(id: i64) -> String  with reads(Db), allocates(Heap)");
    expect(use?.def).toEqual({ from: at(source, "fetch("), to: at(source, "fetch(") + 5 });
    expect(symbolAt(idx, at(source, "norm()") + 1)?.detail).toBe("fn Point.norm(ref self) -> i64");
    expect(symbolAt(idx, at(source, "main"))?.detail).toMatch(/^fn main\(\)  with reads\(Db\)/);
  });

  it("types variables and links their uses, fields and library methods", async () => {
    const idx = await index(source);
    const v = symbolAt(idx, at(source, "v.push"));
    expect(v).toMatchObject({ kind: "variable", detail: "let mut v: Vec[i64]", def: { from: at(source, "v:") } });
    expect(symbolAt(idx, at(source, "push") + 1)).toMatchObject({ kind: "builtin", name: "push", detail: "v.push(x: T)" });
    expect(symbolAt(idx, at(source, "self.y") + 5)).toMatchObject({ kind: "field", detail: "Point.y: i64", def: { from: at(source, "y: i64") } });
  });

  it("knows which variables are in scope where", async () => {
    const idx = await index(source);
    const names = (pos: number) => localsInScope(idx, pos).map((s) => s.name).sort();
    expect(names(at(source, "v.push(1)"))).toEqual(["v"]);
    expect(names(at(source, "v.push(i)"))).toEqual(["i", "p", "v"]);
    expect(names(at(source, "println"))).toEqual(["p", "s", "v"]); // the loop's i is gone
    expect(namesAt(idx, at(source, "println")).map((n) => n.name)).toEqual(expect.arrayContaining(["fetch", "Point", "println", "s"]));
  });

  it("offers fields and methods after a dot, for user and library types", async () => {
    const idx = await index(source);
    const pos = at(source, "println");
    const names = (chain: string[]) => membersAfter(idx, chain, pos).map((m) => m.name);
    expect(names(["v"])).toEqual(expect.arrayContaining(["push", "pop", "len"]));
    expect(names(["v"])).not.toContain("new");
    expect(names(["p"])).toEqual(["x", "y", "norm"]);
    expect(names(["p", "x"])).toEqual(expect.arrayContaining(["abs", "pow"]));
    expect(names(["s"])).toEqual(expect.arrayContaining(["trim", "len"]));
    expect(names(["Vec"])).toEqual(expect.arrayContaining(["new", "with_capacity"]));
    expect(names(["nothing"])).toEqual([]);
  });

  it("describes nothing for a program with errors", async () => {
    expect(await indexSource("fn main() { let x: i64 = true; }", "main.kara", undefined)).toBeUndefined();
  });
});

describe("code index of a program of several files", () => {
  const main = "import util.{twice};\n\nfn main() {\n    let n = twice(4);\n    println(n);\n}\n";
  const util = "fn twice(x: i64) -> i64 {\n    let doubled = x * 2;\n    doubled\n}\n";
  const files = [
    { name: "main.kara", text: main },
    { name: "util.kara", text: util },
  ];

  async function fileIndex(active: number): Promise<CodeIndex> {
    const result = await compileFiles(files, { checkOnly: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const built = await indexProgramFile(files, active, result.effects);
    expect(built).toBeDefined();
    return built!;
  }

  it("describes each file at its own positions, with the items of the other modules known", async () => {
    const inMain = await fileIndex(0);
    expect(inMain.source).toBe(main);
    expect(symbolAt(inMain, at(main, "twice(4)") + 1)).toMatchObject({ kind: "function", detail: "fn twice(x: i64) -> i64" });
    expect(symbolAt(inMain, at(main, "n)"))).toMatchObject({ kind: "variable", def: { from: at(main, "n =") } });
    // util's local is not offered in main; util's function is.
    const names = namesAt(inMain, at(main, "println")).map((n) => n.name);
    expect(names).toContain("twice");
    expect(names).not.toContain("doubled");

    const inUtil = await fileIndex(1);
    expect(inUtil.source).toBe(util);
    expect(symbolAt(inUtil, at(util, "doubled\n}"))).toMatchObject({ kind: "variable", def: { from: at(util, "doubled") } });
    expect(namesAt(inUtil, at(util, "doubled\n}")).map((n) => n.name)).not.toContain("n");
  });
});

