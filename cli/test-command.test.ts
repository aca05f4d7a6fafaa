// The real `kara test` command: karac's test-runner report (one JSON event per line), the exit
// status, what running, building and checking do with test blocks, and the argument rules.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./args.js";
import { ensureCliBuilt, kara } from "./testing/kara-process.js";

const dir = mkdtempSync(join(tmpdir(), "kara-test-cmd-"));

function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The events with their timings taken out (they vary from run to run). */
function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const e = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(e)[0]).toBe("type");
      if (e.duration_ms !== undefined) {
        expect(typeof e.duration_ms).toBe("number");
        delete e.duration_ms;
      }
      if (e.elapsed_ms !== undefined) delete e.elapsed_ms;
      return e;
    });
}

const MIXED = `fn add(a: i64, b: i64) -> i64 { a + b }

test "adds small numbers" {
    assert_eq(add(2, 3), 5);
}

test "fails on purpose" {
    let v = [1, 2];
    assert_eq(add(v[0], v[1]), 4);
}

test "prints and passes" {
    println("hello from a test");
    assert(add(1, 1) == 2);
}

test "panics" {
    let v: Vec[i64] = [];
    if v.is_empty() { panic("nothing to sum"); }
}

fn main() {
    println(add(20, 22));
}
`;

beforeAll(ensureCliBuilt);

describe("kara test", () => {
  it("reports each test in source order, then a summary, and exits 1 when one fails", async () => {
    const file = source("mixed.kara", MIXED);
    const r = await kara(["test", file, "--workers", "2"]);
    expect(r.code).toBe(1);
    expect(events(r.stdout)).toEqual([
      { type: "run_start", total_tests: 4 },
      { type: "test_pass", test: "adds small numbers" },
      {
        type: "test_fail",
        test: "fails on purpose",
        location: { file, line: 9, col: 5 },
        message: "assertion `left == right` failed",
        left: "3",
        right: "4",
      },
      { type: "test_pass", test: "prints and passes" },
      {
        type: "test_fail",
        test: "panics",
        location: { file, line: 19, col: 23 },
        message: "nothing to sum",
      },
      { type: "summary", total: 4, passed: 2, failed: 2, skipped: 0 },
    ]);
    // What a test prints goes to stderr, so stdout stays one event per line.
    expect(r.stderr).toBe("hello from a test\n");
  }, 60_000);

  it("runs the tests in parallel yet reports them, and what each printed, in source order", async () => {
    // The first tests are the slowest, so on two workers the later ones end first.
    const spins = [3_000_000, 2_000_000, 1_000_000, 10, 10, 10];
    const body = spins.map((n, i) => `test "t${i}" {\n    println("t${i} starts");\n    assert(spin(${n}) >= 0);\n    println("t${i} ends");\n${i === 1 ? '    panic("t1 gave up");\n' : ""}}\n`);
    const file = source("parallel.kara", `fn spin(n: i64) -> i64 {\n    let mut acc = 0;\n    let mut i = 0;\n    while i < n { acc = (acc + i) % 1000; i = i + 1; }\n    acc\n}\n${body.join("")}`);
    const r = await kara(["test", file, "--workers", "2"]);
    expect(r.code).toBe(1);
    expect(events(r.stdout).map((e) => [e.type, e.test ?? ""])).toEqual([
      ["run_start", ""],
      ...spins.map((_, i) => [i === 1 ? "test_fail" : "test_pass", `t${i}`]),
      ["summary", ""],
    ]);
    expect(r.stderr).toBe(spins.map((_, i) => `t${i} starts\nt${i} ends\n`).join(""));
  }, 60_000);

  it("exits 0 when every test passes, and --filter keeps the tests whose name contains the text", async () => {
    const file = source("filtered.kara", MIXED);
    const r = await kara(["test", file, "--filter", "adds"]);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toEqual([
      { type: "run_start", total_tests: 1 },
      { type: "test_pass", test: "adds small numbers" },
      { type: "summary", total: 1, passed: 1, failed: 0, skipped: 0 },
    ]);
  }, 60_000);

  it("needs no main, and a file without tests reports an empty run", async () => {
    const lib = source("lib.kara", 'fn twice(n: i64) -> i64 { n * 2 }\ntest "twice" { assert_eq(twice(4), 8); }\n');
    expect(events((await kara(["test", lib])).stdout).map((e) => e.type)).toEqual(["run_start", "test_pass", "summary"]);
    const none = await kara(["test", source("none.kara", "fn main() { println(1); }\n")]);
    expect(none.code).toBe(0);
    expect(events(none.stdout)).toEqual([{ type: "run_start", total_tests: 0 }, { type: "summary", total: 0, passed: 0, failed: 0, skipped: 0 }]);
  }, 60_000);

  it("reports a test that runs past --timeout", async () => {
    const file = source("slow.kara", 'test "forever" {\n    let mut n = 0;\n    while n >= 0 { n = (n + 1) % 7; }\n}\n');
    const r = await kara(["test", file, "--timeout", "0.5"]);
    expect(r.code).toBe(1);
    expect(events(r.stdout)).toEqual([
      { type: "run_start", total_tests: 1 },
      { type: "test_timeout", test: "forever", timeout_s: 0.5 },
      { type: "summary", total: 1, passed: 0, failed: 1, skipped: 0 },
    ]);
  }, 60_000);

  it("follows #[test(timeout_seconds = N)] over --timeout, and skips a test whose required resource is not available", async () => {
    const file = source(
      "attrs.kara",
      '#[test(timeout_seconds = 1)]\ntest "forever" {\n    let mut n = 0;\n    while n >= 0 { n = (n + 1) % 7; }\n}\n#[test(requires = [db.Users])]\ntest "needs a database" { assert(false); }\n',
    );
    const r = await kara(["test", file, "--timeout", "600"]);
    expect(r.code).toBe(1);
    expect(events(r.stdout)).toEqual([
      { type: "run_start", total_tests: 2 },
      { type: "test_timeout", test: "forever", timeout_s: 1 },
      { type: "test_skip", test: "needs a database", reason: "unsatisfied_requires", resources: ["db.Users"] },
      { type: "summary", total: 2, passed: 0, failed: 1, skipped: 1 },
    ]);
  }, 60_000);

  it("prints no event for a file that does not compile: the diagnostics go to stderr and it exits 1", async () => {
    const file = source("broken.kara", 'test "typed wrong" {\n    let s: String = 1;\n}\n');
    const r = await kara(["test", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[E0200]");
  }, 60_000);
});

describe("test blocks in the other commands", () => {
  it("run and build ignore them; check checks them", async () => {
    const file = source("app.kara", 'fn main() { println("app"); }\ntest "wrong" {\n    let n: i64 = "x";\n}\n');
    const run = await kara(["run", file]);
    expect([run.code, run.stdout]).toEqual([0, "app\n"]);
    const build = await kara(["build", file, "-o", join(dir, "app.wasm")]);
    expect(build.code).toBe(0);
    const check = await kara(["check", file]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`error[E0200]: ${file}:3:18`);
  }, 60_000);
});

describe("kara test arguments", () => {
  it("take a file, a filter, a worker count and a timeout", () => {
    expect(parseArgs(["test", "a.kara"])).toEqual({ kind: "test", file: "a.kara", timeoutSeconds: 30 });
    expect(parseArgs(["test", "a.kara", "--filter", "add", "--workers", "2", "--timeout=5"])).toEqual({ kind: "test", file: "a.kara", filter: "add", workers: 2, timeoutSeconds: 5 });
    expect(() => parseArgs(["test"])).toThrow(UsageError);
    expect(() => parseArgs(["test", "a.kara", "--timeout", "0"])).toThrow(UsageError);
  });
});
