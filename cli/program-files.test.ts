// `kara run / check` on programs of several files: a directory, and a root file importing siblings.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara as karaIn } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-cli-modules-"));
const SLOW = 300_000;
const kara = (args: string[]) => karaIn(args, { cwd: dir });

beforeAll(ensureCliBuilt);

const app = join(dir, "app");
mkdirSync(join(app, "geo"), { recursive: true });
writeFileSync(join(app, "main.kara"), "import geo.area.{square};\nimport util;\n\nfn main() {\n    println(util.twice(square(3)));\n}\n");
writeFileSync(join(app, "util.kara"), "pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n");
writeFileSync(join(app, "geo", "area.kara"), "pub fn square(x: i64) -> i64 {\n    x * x\n}\n");

const broken = join(dir, "broken");
mkdirSync(broken);
writeFileSync(join(broken, "main.kara"), "import util.{twice};\n\nfn main() {\n    println(twice(2));\n}\n");
writeFileSync(join(broken, "util.kara"), "pub fn twice(x: i64) -> i64 {\n    let s: String = x;\n    x * 2\n}\n");

const panics = join(dir, "panics");
mkdirSync(panics);
writeFileSync(join(panics, "main.kara"), "import util.{bounded};\n\nfn main() {\n    println(bounded(3));\n    println(bounded(30));\n}\n");
writeFileSync(join(panics, "util.kara"), 'fn bounded(x: i64) -> i64 {\n    if x > 10 {\n        panic("too big");\n    }\n    x\n}\n');

// Test blocks in both files; util's second one fails.
const tested = join(dir, "tested");
mkdirSync(tested);
writeFileSync(join(tested, "main.kara"), 'import util;\n\nfn main() {\n    println(util.twice(2));\n}\n\ntest "main doubles" {\n    assert_eq(util.twice(4), 8);\n}\n');
writeFileSync(join(tested, "util.kara"), 'pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n\ntest "twice of zero" {\n    assert_eq(twice(0), 0);\n}\n\ntest "twice is not square" {\n    assert_eq(twice(3), 9);\n}\n');

// Test companions: util_test.kara belongs to util's module (a private item, no import), main_test.kara to the root.
const companions = join(dir, "companions");
mkdirSync(companions);
writeFileSync(join(companions, "main.kara"), "import util.{twice};\n\nfn main() {\n    println(twice(2));\n}\n");
writeFileSync(join(companions, "util.kara"), "pub fn twice(x: i64) -> i64 {\n    x * 2\n}\n\nprivate fn half(x: i64) -> i64 {\n    x >> 1\n}\n");
writeFileSync(join(companions, "util_test.kara"), 'test "halves" {\n    assert_eq(half(twice(5)), 5);\n}\n\nfn test_twice_is_not_square() {\n    assert_eq(twice(3), 9);\n}\n');
writeFileSync(join(companions, "main_test.kara"), "fn test_main_twice() {\n    assert_eq(twice(3), 6);\n}\n");

/** `kara test`'s events without their timings. */
function testEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const { duration_ms: _d, elapsed_ms: _e, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
}

describe("programs of several files", () => {
  it("run DIR runs DIR/main.kara with every module under DIR", async () => {
    const r = await kara(["run", app, "--workers", "1"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("18\n");
    expect(r.code).toBe(0);
  }, SLOW);

  it("run FILE loads the sibling modules the file imports", async () => {
    const r = await kara(["run", join(app, "main.kara"), "--workers", "1"]);
    expect(r.stdout).toBe("18\n");
    expect(r.code).toBe(0);
  }, SLOW);

  it("check prints each error at file:line:col of the file it is in", async () => {
    const r = await kara(["check", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[E0200]: ${join(broken, "util.kara")}:2:21: `);
    expect(r.stderr).toContain("2 |     let s: String = x;");
    const json = await kara(["check", join(broken, "main.kara"), "--output=json"]);
    const diags = JSON.parse(json.stdout).diagnostics as { code: string; file?: string; line: number }[];
    expect(diags).toContainEqual(expect.objectContaining({ code: "E0200", file: "util.kara", line: 2 }));
  }, SLOW);

  it("a directory without main.kara is an error", async () => {
    const r = await kara(["run", join(app, "geo")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no main.kara");
  }, SLOW);

  it("a panic in a module names that module's file, under the root's directory", async () => {
    const r = await kara(["run", "panics", "--workers", "1"]);
    expect(r.stdout).toBe(`3\npanic at ${join("panics", "util.kara")}:3:9 in bounded: too big\n`);
    expect(r.code).not.toBe(0);
  }, SLOW);

  it("test DIR runs the test blocks of every file, in file order, each failure at its own file", async () => {
    const r = await kara(["test", "tested", "--workers", "2"]);
    expect(r.code).toBe(1);
    expect(testEvents(r.stdout)).toEqual([
      { type: "run_start", total_tests: 3 },
      { type: "test_pass", test: "main doubles" },
      { type: "test_pass", test: "twice of zero" },
      {
        type: "test_fail",
        test: "twice is not square",
        location: { file: join("tested", "util.kara"), line: 10, col: 5 },
        message: "assertion `left == right` failed",
        left: "6",
        right: "9",
      },
      { type: "summary", total: 3, passed: 2, failed: 1, skipped: 0 },
    ]);
  }, SLOW);

  it("test DIR and test FILE take in each file's test companion, which run and build leave out", async () => {
    const expected = [
      { type: "run_start", total_tests: 3 },
      { type: "test_pass", test: "test_main_twice" },
      { type: "test_pass", test: "halves" },
      {
        type: "test_fail",
        test: "test_twice_is_not_square",
        location: { file: join("companions", "util_test.kara"), line: 6, col: 5 },
        message: "assertion `left == right` failed",
        left: "6",
        right: "9",
      },
      { type: "summary", total: 3, passed: 2, failed: 1, skipped: 0 },
    ];
    const fromDir = await kara(["test", "companions", "--workers", "2"]);
    expect(testEvents(fromDir.stdout)).toEqual(expected);
    expect(fromDir.code).toBe(1);
    const fromFile = await kara(["test", join("companions", "main.kara"), "--workers", "2"]);
    expect(testEvents(fromFile.stdout).map((e) => [e.type, e.test ?? ""])).toEqual(expected.map((e) => [e.type, e.test ?? ""]));
    const run = await kara(["run", "companions", "--workers", "1"]);
    expect([run.stdout, run.code]).toEqual(["4\n", 0]);
  }, SLOW);

  it("test FILE runs the tests of the sibling modules the file imports too", async () => {
    const r = await kara(["test", join("tested", "main.kara"), "--filter", "twice"]);
    expect(testEvents(r.stdout).map((e) => [e.type, e.test ?? ""])).toEqual([
      ["run_start", ""],
      ["test_pass", "twice of zero"],
      ["test_fail", "twice is not square"],
      ["summary", ""],
    ]);
    expect(r.code).toBe(1);
  }, SLOW);
});
