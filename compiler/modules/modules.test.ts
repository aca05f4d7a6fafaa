import { afterAll, describe, expect, it } from "vitest";
import { compile, compileFiles } from "../compile.js";
import type { ProgramFile } from "../api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { importedFileCandidates } from "./discover.js";
import { modulePathOf } from "./resolve.js";

const runner = createNodeRunner(2);
afterAll(() => runner.dispose());

async function run(files: ProgramFile[]): Promise<string> {
  const result = await compileFiles(files);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  let out = "";
  const outcome = await runner.run({ wasm: result.wasm!, workers: 2, onOutput: (_fd, text) => (out += text) });
  expect(outcome.status).toBe("ok");
  return out;
}

async function errors(files: ProgramFile[]): Promise<{ code: string; file?: string; line: number; message: string }[]> {
  const result = await compileFiles(files, { checkOnly: true });
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, file: d.file, line: d.span.line, message: d.message }));
}

const UTIL = `pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

struct Point { x: i64, y: i64 }

fn norm1(p: Point) -> i64 { p.x + p.y }
`;

describe("programs of several files", () => {
  it("runs a root file that imports items of a sibling module", async () => {
    const main = `import util.{add, Point, norm1};

fn main() {
    println(add(2, 3));
    println(norm1(Point { x: 4, y: 5 }));
}
`;
    expect(await run([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }])).toBe("5\n9\n");
  });

  it("reaches a module's items through its name after `import module`", async () => {
    const main = `import util;

fn main() {
    let p: util.Point = util.Point { x: 1, y: 2 };
    println(util.add(util.norm1(p), 10));
}
`;
    expect(await run([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }])).toBe("13\n");
  });

  it("names nested modules by their directory path", async () => {
    const shapes = `pub enum Shape { Square(i64), Rect(i64, i64) }

pub fn area(s: Shape) -> i64 {
    match s {
        Shape.Square(a) => a * a,
        Shape.Rect(w, h) => w * h,
    }
}
`;
    const main = `import geo.shapes;
import geo.shapes.Shape;

fn main() {
    println(shapes.area(Shape.Rect(3, 4)));
    println(shapes.area(shapes.Shape.Square(5)));
}
`;
    expect(await run([{ name: "main.kara", text: main }, { name: "geo/shapes.kara", text: shapes }])).toBe("12\n25\n");
  });

  it("reports an unknown module (E0112) with the nearest module", async () => {
    const main = `import utl.{add};\nfn main() { println(add(1, 2)); }\n`;
    const got = await errors([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }]);
    expect(got[0]).toMatchObject({ code: "E0112", file: "main.kara", line: 1 });
    expect(got[0].message).toBe("unknown module `utl`, did you mean `util`?");
  });

  it("reports an item a module does not have (E0113), imported or qualified", async () => {
    const main = `import util;\nimport util.{addd};\n\nfn main() {\n    println(util.mul(1, 2));\n}\n`;
    const got = await errors([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }]);
    const unknown = got.filter((d) => d.code === "E0113");
    expect(unknown.map((d) => d.line)).toEqual([2, 5]);
    expect(unknown[0].message).toBe("unknown item `addd` in module `util`, did you mean `add`?");
    expect(unknown[1].message).toBe("unknown item `mul` in module `util`; it has add, Point, norm1");
  });

  it("lets only files of the same directory use a `private` item (E0111)", async () => {
    const helpers = `private fn secret() -> i64 { 7 }\npub fn open() -> i64 { secret() }\n`;
    const sibling = `import geo.helpers.{secret};\npub fn twice() -> i64 { secret() * 2 }\n`;
    const main = `import geo.helpers.{secret, open};\nimport geo.sibling.{twice};\nfn main() { println(secret() + open() + twice()); }\n`;
    const files = [
      { name: "main.kara", text: main },
      { name: "geo/helpers.kara", text: helpers },
      { name: "geo/sibling.kara", text: sibling },
    ];
    const got = await errors(files);
    expect(got).toEqual([{ code: "E0111", file: "main.kara", line: 1, message: "`secret` in module `geo.helpers` is `private`: only files in its directory can use it" }]);
    // Without the import from another directory the program is fine: the sibling shares the directory.
    const allowed = [{ ...files[0], text: `import geo.helpers.{open};\nimport geo.sibling.{twice};\nfn main() { println(open() + twice()); }\n` }, files[1], files[2]];
    expect(await run(allowed)).toBe("21\n");
  });

  it("reports each diagnostic in its own file with that file's line and offset", async () => {
    const util = `pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\npub fn broken() -> i64 {\n    "text"\n}\n`;
    const main = `import util.{add};\n\nfn main() {\n    let s: String = add(1, 2);\n}\n`;
    const result = await compileFiles([{ name: "main.kara", text: main }, { name: "util.kara", text: util }], { checkOnly: true });
    const byFile = result.diagnostics.filter((d) => d.code === "E0200").map((d) => ({ file: d.file, line: d.span.line, text: (d.file === "util.kara" ? util : main).slice(d.span.offset, d.span.offset + d.span.length) }));
    expect(byFile).toContainEqual({ file: "util.kara", line: 6, text: `"text"` });
    expect(byFile.some((d) => d.file === "main.kara" && d.line === 4)).toBe(true);
  });

  it("reports a syntax error of a module in that module", async () => {
    const got = await errors([{ name: "main.kara", text: "import util.{add};\nfn main() { println(add(1, 2)); }\n" }, { name: "util.kara", text: "pub fn add(a: i64, b: i64) -> i64 {\n    a +\n}\n" }]);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((d) => d.file === "util.kara")).toBe(true);
  });

  it("names the file of each test block", async () => {
    const util = `pub fn add(a: i64, b: i64) -> i64 { a + b }\n\ntest "adds" {\n    assert_eq(add(1, 1), 2);\n}\n`;
    const main = `import util.{add};\nfn main() { println(add(1, 2)); }\ntest "main adds" { assert(add(2, 2) == 4); }\n`;
    const result = await compileFiles([{ name: "main.kara", text: main }, { name: "util.kara", text: util }], { checkOnly: true, checkTests: true });
    expect(result.tests?.map((t) => [t.name, t.file, t.line])).toEqual([["main adds", "main.kara", 3], ["adds", "util.kara", 3]]);
  });

  it("compiles one file exactly as compile() does", async () => {
    const text = `import nope.{x};\nfn main() { let y: i64 = "s"; }\n`;
    const one = await compileFiles([{ name: "main.kara", text }], { checkOnly: true });
    const direct = await compile(text, { fileName: "main.kara", checkOnly: true });
    expect(one.diagnostics).toEqual(direct.diagnostics);
    expect(one.diagnostics.every((d) => d.file === undefined)).toBe(true);
  });

  it("maps file names to module paths and imports to candidate files", () => {
    expect(modulePathOf("util.kara")).toEqual(["util"]);
    expect(modulePathOf("geo/shapes.kara")).toEqual(["geo", "shapes"]);
    expect(importedFileCandidates("import std.collections.{Map};\nimport util.{a};\nimport geo.shapes;\nfn main() {}\n")).toEqual(["util.kara", "geo/shapes.kara", "geo.kara"]);
  });
});

describe("names of other modules", () => {
  it("are undefined without an import (E0100), with the import to write", async () => {
    const main = `import util.{add};\n\nfn main() {\n    let n = norm1(Point { x: 1, y: 2 });\n    println(add(n, 1));\n}\n`;
    const result = await compileFiles([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }], { checkOnly: true });
    const undefinedNames = result.diagnostics.filter((d) => d.code === "E0100");
    expect(undefinedNames.map((d) => [d.message, d.file, d.span.line])).toEqual([
      ["undefined name 'norm1'", "main.kara", 4],
      ["undefined name 'Point'", "main.kara", 4],
    ]);
    expect(undefinedNames[0].notes).toEqual(["`norm1` is defined in module `util`: import it with `import util.{norm1};`"]);
  });

  it("are not confused with the file's own locals and parameters", async () => {
    const main = `import util.{add};\n\nfn twice(norm1: i64) -> i64 { norm1 * 2 }\n\nfn main() {\n    let norm1 = 5;\n    println(add(twice(norm1), 0));\n}\n`;
    const got = await errors([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }]);
    expect(got.filter((d) => d.code === "E0100")).toEqual([]);
  });

  it("are all visible after `import m.*`", async () => {
    const main = `import util.*;\n\nfn main() {\n    println(norm1(Point { x: 1, y: add(1, 1) }));\n}\n`;
    expect(await run([{ name: "main.kara", text: main }, { name: "util.kara", text: UTIL }])).toBe("3\n");
  });
});

describe("unusual programs", () => {
  it("reports rather than crashes on modules that clash, are empty or repeat a name", async () => {
    const files = [
      { name: "main.kara", text: "import a.{f};\nimport b.{f};\nfn main() { println(f()); }\n" },
      { name: "a.kara", text: "pub fn f() -> i64 { 1 }\n" },
      { name: "b.kara", text: "pub fn f() -> i64 { 2 }\n" },
      { name: "empty.kara", text: "" },
    ];
    const got = await errors(files);
    expect(got.map((d) => [d.code, d.file])).toContainEqual(["E0101", "b.kara"]);
    expect(got.every((d) => d.code !== "E9999")).toBe(true);
    const none = await compileFiles([], { checkOnly: true });
    expect(none.diagnostics.every((d) => d.code !== "E9999")).toBe(true);
  });
});

describe("where the reports and panics of a module point", () => {
  const files: ProgramFile[] = [
    { name: "main.kara", text: "import util.{sum_to};\n\nfn main() {\n    println(sum_to(3));\n    println(sum_to(-1));\n}\n" },
    { name: "util.kara", text: 'fn sum_to(n: i64) -> i64 {\n    if n < 0 {\n        panic("negative");\n    }\n    let a = n * (n + 1);\n    a / 2\n}\n' },
  ];

  it("names each statement of the concurrency report by its file, at the file's own offsets", async () => {
    const result = await compileFiles(files, { checkOnly: true });
    const report = result.concurrency as { functions: { function: string; statement_spans: { file: string; line: number; offset: number }[] }[] };
    const spans = report.functions.find((f) => f.function === "sum_to")!.statement_spans;
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) {
      expect(s.file).toBe("util.kara");
      // The offset is util.kara's own: its line there is the span's line.
      expect(files[1].text.slice(0, s.offset).split("\n").length).toBe(s.line);
    }
    const main = report.functions.find((f) => f.function === "main")!.statement_spans;
    expect(main.map((s) => s.file)).toEqual(main.map(() => "main.kara"));
  });

  it("prints a panic in a module at that module's file, beside the root file's directory", async () => {
    const result = await compileFiles(files, { fileName: "app/main.kara" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    let out = "";
    const outcome = await runner.run({ wasm: result.wasm!, workers: 2, onOutput: (_fd, text) => (out += text) });
    expect(outcome.status).toBe("panic");
    expect(out).toBe("6\npanic at app/util.kara:3:9 in sum_to: negative\n");
  });
});
