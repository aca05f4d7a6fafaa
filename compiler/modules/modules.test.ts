import { afterAll, describe, expect, it } from "vitest";
import { compile, compileFiles } from "../compile.js";
import type { ProgramFile } from "../api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { importedFileCandidates } from "./discover.js";
import { modulePathOf } from "./resolve.js";
import { SITE_TABLE_SECTION, type SiteTable } from "../abi.js";
import { FaultSites, describeFunction } from "../../wasm-runtime/fault-sites.js";
import { formatProfile } from "../../wasm-runtime/profile-report.js";

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

function siteTable(wasm: Uint8Array): SiteTable {
  const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  return JSON.parse(new TextDecoder().decode(WebAssembly.Module.customSections(module, SITE_TABLE_SECTION)[0])) as SiteTable;
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

describe("test companions", () => {
  const main = { name: "main.kara", text: "import util.{twice};\n\nfn main() {\n    println(twice(2));\n}\n" };
  const util = { name: "util.kara", text: "pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n\nprivate fn half(x: i64) -> i64 {\n    x >> 1\n}\n" };
  const companion = {
    name: "util_test.kara",
    text: 'test "halves" {\n    assert_eq(half(twice(5)), 5);\n}\n\nfn test_twice_of_two() {\n    assert_eq(twice(2), 4);\n}\n\nfn helper(x: i64) -> i64 {\n    x\n}\n',
  };

  it("joins its module when tests are checked: its blocks and test_ functions are tests of its file", async () => {
    const result = await compileFiles([main, util, companion], { checkOnly: true, checkTests: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // It uses util's items, `private` ones included, without importing them.
    expect(result.tests?.map((t) => [t.name, t.file, t.line])).toEqual([
      ["halves", "util_test.kara", 1],
      ["test_twice_of_two", "util_test.kara", 5],
    ]);
  });

  it("of the root file joins the root module", async () => {
    const rootTests = { name: "main_test.kara", text: "fn test_main_twice() {\n    assert_eq(twice(3), 6);\n}\n" };
    const result = await compileFiles([main, util, rootTests], { checkOnly: true, checkTests: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.tests?.map((t) => t.name)).toEqual(["test_main_twice"]);
  });

  it("runs its tests like any test block", async () => {
    const files = [main, util, { name: "util_test.kara", text: "fn test_fails() {\n    assert_eq(twice(2), 5);\n}\n" }];
    const result = await compileFiles(files, { runTest: 0 });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const outcome = await runner.run({ wasm: result.wasm!, workers: 1 });
    expect(outcome.status).toBe("panic");
  });

  it("is left out of a build, and its errors with it", async () => {
    const broken = { name: "util_test.kara", text: 'test "typo" {\n    let s: String = twice(1);\n}\n' };
    expect(await run([main, util, broken])).toBe("4\n");
    expect(await errors([main, util, broken])).toEqual([]);
    const checked = await compileFiles([main, util, broken], { checkOnly: true, checkTests: true });
    expect(checked.diagnostics.filter((d) => d.severity === "error").map((d) => [d.file, d.span.line])).toEqual([["util_test.kara", 2]]);
  });

  it("keeps test_ functions that take parameters, and those outside companions, as functions", async () => {
    const plain = { name: "util.kara", text: util.text + "\nfn test_helper() -> i64 {\n    1\n}\n" };
    const withParam = { name: "util_test.kara", text: "fn test_with(x: i64) -> i64 {\n    x\n}\n\nfn test_calls() {\n    assert_eq(test_with(test_helper()), 1);\n}\n" };
    const result = await compileFiles([main, plain, withParam], { checkOnly: true, checkTests: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.tests?.map((t) => t.name)).toEqual(["test_calls"]);
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

  it("names the file of every place in the effects report", async () => {
    const result = await compileFiles(files, { checkOnly: true });
    const report = result.effects as { functions: { function: string; origins: { effect: string; file?: string; line: number; from: string }[] }[] };
    const sumTo = report.functions.find((f) => f.function === "sum_to")!.origins;
    expect(sumTo.length).toBeGreaterThan(0);
    // The panic on util.kara's line 3 is where sum_to's effect comes from.
    expect(sumTo.map((o) => [o.file, o.line, o.from])).toContainEqual(["util.kara", 3, "direct"]);
    const main = report.functions.find((f) => f.function === "main")!.origins;
    expect(main.map((o) => [o.file, o.from])).toContainEqual(["main.kara", "call"]);
    // A program of one file reports exactly what it did before: no file on its rows.
    const single = await compile(files[0].text.replace("import util.{sum_to};\n", "") + files[1].text, { checkOnly: true });
    const rows = (single.effects as { functions: { origins: object[] }[] }).functions.flatMap((f) => f.origins);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).not.toHaveProperty("file");
  });

  it("names the file of each function in the wasm site table, as its panics name it", async () => {
    const result = await compileFiles(files, { fileName: "app/main.kara" });
    const table = siteTable(result.wasm!);
    const entries = Object.values(table.functions);
    expect(entries).toContainEqual(["sum_to", 1, "app/util.kara"]);
    expect(entries).toContainEqual(["main", 3, "app/main.kara"]);
    const sites = FaultSites.fromModule(new WebAssembly.Module(result.wasm! as Uint8Array<ArrayBuffer>));
    const symbol = Object.keys(table.functions).find((k) => table.functions[k][0] === "sum_to")!;
    expect(describeFunction(sites.functionNamed(symbol)!)).toBe("sum_to (declared at app/util.kara:1)");
    // One file: the table and the message keep their line-only form.
    const single = await compile("fn main() {\n    println(1);\n}\n", { fileName: "one.kara" });
    const one = siteTable(single.wasm!);
    expect(Object.values(one.functions)).toContainEqual(["main", 1]);
    expect(describeFunction({ name: "main", line: 1 })).toBe("main (declared at line 1)");
  });

  it("names the file of each traced task and critical-path step of a run", async () => {
    const program: ProgramFile[] = [
      { name: "main.kara", text: "import util.{spin_both};\n\nfn main() {\n    println(spin_both(20000));\n}\n" },
      {
        name: "util.kara",
        text: "fn spin(n: i64) -> i64 {\n    let mut s = 0;\n    for i in 0..n { s = s + i % 7; }\n    s\n}\n\nfn spin_both(n: i64) -> i64 {\n    par {\n        let a = spin(n);\n        let b = spin(n + 1);\n    }\n    a + b\n}\n",
      },
    ];
    const result = await compileFiles(program, { fileName: "app/main.kara" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const outcome = await runner.run({ wasm: result.wasm!, workers: 2, trace: true, profile: true });
    expect(outcome.status).toBe("ok");
    const branches = outcome.trace!.tasks.filter((t) => t.kind === "par");
    expect(branches.length).toBe(2);
    for (const t of branches) expect([t.file, t.line]).toEqual(["app/util.kara", expect.any(Number)]);
    expect(branches.map((t) => t.line).sort((x, y) => x - y)).toEqual([9, 10]);
    const main = outcome.trace!.tasks.find((t) => t.kind === "main")!;
    expect(main.file).toBe("app/main.kara");
    const steps = outcome.profile!.critical_path;
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s.file).toBe(s.task === main.id ? "app/main.kara" : "app/util.kara");
    // `--profile`'s text names them so too.
    expect(formatProfile(outcome.profile!)).toMatch(/critical path \(\d tasks?\): app\/(main|util)\.kara:\d+ /);
  });

  it("names the file of a task's line when a run times out inside it", async () => {
    const program: ProgramFile[] = [
      { name: "main.kara", text: "import util.{forever};\n\nfn main() {\n    println(forever(1));\n}\n" },
      { name: "util.kara", text: "fn spin(n: i64) -> i64 {\n    let mut i = n;\n    while i > 0 { i = i + 1; }\n    i\n}\n\nfn forever(n: i64) -> i64 {\n    par {\n        let a = spin(n);\n        let b = spin(n + 1);\n    }\n    a + b\n}\n" },
    ];
    const result = await compileFiles(program, { fileName: "app/main.kara" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const outcome = await runner.run({ wasm: result.wasm!, workers: 2, timeoutMs: 1500 });
    expect(outcome.status).toBe("timeout");
    // A branch is lifted into a function of its own, declared on the branch's line.
    expect(outcome.message).toMatch(/task \d+ \(par, app\/util\.kara:(9|10)\) in forever \(declared at app\/util\.kara:(9|10)\)/);
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
