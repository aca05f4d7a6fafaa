// Test blocks through the compile API: listing them, checking them, building the module that
// runs one, and reading a run's result as karac's test events.

import { describe, expect, it } from "vitest";
import { compile } from "../compile.js";
import { check } from "../check/index.js";
import { parse } from "../syntax/parser.js";
import { allNodes } from "../syntax/testutil.js";
import type { TExpr } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";
import { withTestFunctions } from "./lower.js";
import { summaryEvent, testEvent } from "./outcome.js";

const SOURCE = `fn add(a: i64, b: i64) -> i64 { a + b }
test "adds" { assert_eq(add(1, 2), 3); }
#[with_provider(Clock, Fake.new())]
test "adds again" {
    let s = add(2, 2);
    assert(s == 4 and Clock.now() == 9);
}
trait ClockProvider { fn now(ref self) -> i64; }
effect resource Clock: ClockProvider;
struct Fake { t: i64 }
impl Fake { fn new() -> Fake { Fake { t: 9 } } }
impl ClockProvider for Fake { fn now(ref self) -> i64 { self.t } }
`;

describe("test blocks in the compile API", () => {
  it("are listed by name and position, whatever the options", async () => {
    const r = await compile(SOURCE, { checkOnly: true });
    expect(r.tests).toEqual([
      { name: "adds", line: 2, column: 6 },
      { name: "adds again", line: 4, column: 6 },
    ]);
  });

  it("become functions with fresh node ids, named apart from the program's own names", () => {
    const program = parse("fn __test_0() {}\n" + SOURCE, "t.kara").program;
    const { program: lowered, tests } = withTestFunctions(program);
    expect(tests.map((t) => t.fnName)).toEqual(["___test_0", "___test_1"]);
    const ids = allNodes(lowered.items).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(program.items).toHaveLength(7); // the input is not changed
  });

  it("are checked only when asked, and a module runs one of them instead of main", async () => {
    const wrong = 'fn main() {}\ntest "t" { let s: String = 1; }\n';
    expect((await compile(wrong, { checkOnly: true })).diagnostics).toEqual([]);
    expect((await compile(wrong, { checkOnly: true, checkTests: true })).diagnostics.map((d) => d.code)).toEqual(["E0200"]);
    const built = await compile(SOURCE, { runTest: 1 });
    expect(built.ok).toBe(true);
    expect(built.diagnostics).toEqual([]);
    // The fixture's provider is bound around the test's body.
    const typed = check(withTestFunctions(parse(SOURCE, "t.kara").program).program).program!;
    const body = typed.functions.find((f) => f.name === "__test_1")!.body;
    const bound: string[] = [];
    walkBlock(body, { expr: (e) => void (e.kind === "providerScope" && bound.push(...e.bindings.map((b) => b.resource))) });
    expect(bound).toEqual(["Clock"]);
    const missing = await compile(SOURCE, { runTest: 2 });
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0].message).toContain("no test block number 2");
  });
});

describe("a test's run as karac's events", () => {
  it("passes when the run ends normally", () => {
    expect(testEvent({ name: "t" }, { status: "ok", exitCode: 0, wallMs: 12.4 })).toEqual({ type: "test_pass", test: "t", duration_ms: 12 });
  });

  it("fails at the panic's place, with the compared values of an assertion", () => {
    const message = "panic at dir/a b.kara:9:5 in __test_1: assertion `left == right` failed\n  left: [1, 2]\n right: x: y";
    expect(testEvent({ name: "t" }, { status: "panic", exitCode: 1, message, wallMs: 3 })).toEqual({
      type: "test_fail", test: "t", duration_ms: 3, location: { file: "dir/a b.kara", line: 9, col: 5 },
      message: "assertion `left == right` failed", left: "[1, 2]", right: "x: y",
    });
    const plain = testEvent({ name: "t" }, { status: "panic", exitCode: 1, message: "panic at a.kara:2:1 in f: boom", wallMs: 3 });
    expect(plain).toEqual({ type: "test_fail", test: "t", duration_ms: 3, location: { file: "a.kara", line: 2, col: 1 }, message: "boom" });
    const crash = testEvent({ name: "t" }, { status: "crash", exitCode: 1, message: "stack overflow in f", wallMs: 3 });
    expect(crash).toEqual({ type: "test_fail", test: "t", duration_ms: 3, message: "stack overflow in f" });
  });

  it("times out, and the summary counts failures and timeouts", () => {
    const late = testEvent({ name: "slow" }, { status: "timeout", exitCode: 124, wallMs: 1000 }, 1);
    expect(late).toEqual({ type: "test_timeout", test: "slow", timeout_s: 1, elapsed_ms: 1000 });
    const pass = testEvent({ name: "ok" }, { status: "ok", exitCode: 0, wallMs: 1 });
    expect(summaryEvent([{ type: "run_start", total_tests: 2 }, pass, late], 50.2)).toEqual({ type: "summary", total: 2, passed: 1, failed: 1, skipped: 0, duration_ms: 50 });
  });
});

describe("attributes on loops", () => {
  it("stay on the typed loop, also when a `for` lowers to a block around its loop", () => {
    const src = "fn main() {\n    let v = [1, 2];\n    let mut s = 0;\n    #[par_order_free]\n    for x in v.iter().map(|x| x * 2) { s += x; }\n    #[par_unordered]\n    while s > 0 { s -= 1; }\n}\n";
    const typed = check(parse(src, "t.kara").program).program!;
    const loops: TExpr[] = [];
    const visit = (x: unknown): void => {
      if (!x || typeof x !== "object") return;
      if (Array.isArray(x)) return x.forEach(visit);
      const o = x as { kind?: string };
      if (o.kind === "for" || o.kind === "while" || o.kind === "loop") loops.push(x as TExpr);
      for (const v of Object.values(x)) visit(v);
    };
    visit(typed.functions.find((f) => f.name === "main")!.body);
    expect(loops.map((l) => [l.kind, (l as { attrs?: { name: string }[] }).attrs?.map((a) => a.name)])).toEqual([
      ["for", ["par_order_free"]],
      ["while", ["par_unordered"]],
    ]);
  });
});
