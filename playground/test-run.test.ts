import { describe, expect, it } from "vitest";
import type { CompileOptions, CompileResult, TestInfo } from "../compiler/api.js";
import type { TestEvent } from "../compiler/testing/outcome.js";
import type { RunOptions, RunResult, Runner } from "../wasm-runtime/api.js";
import { TestRun, withoutPanicLine, type TestRunEnd } from "./test-run.js";

const TESTS: TestInfo[] = [
  { name: "passes", line: 3, column: 6 },
  { name: "fails", line: 7, column: 6, timeoutSeconds: 5 },
  { name: "needs a database", line: 11, column: 6, requires: ["db.Users"] },
];

/** A compiler whose check lists TESTS and whose build for test i is a module holding byte i. */
function stubCompiler(errors = 0): { compile(source: string, options?: CompileOptions): Promise<CompileResult>; calls: CompileOptions[] } {
  const calls: CompileOptions[] = [];
  return {
    calls,
    async compile(_source, options = {}) {
      calls.push(options);
      const diagnostics = Array.from({ length: errors }, () => ({ code: "E0001", severity: "error", message: "bad", span: { offset: 0, length: 1 } }) as never);
      if (options.checkOnly) return { ok: errors === 0, diagnostics, tests: TESTS, timings: [] };
      return { ok: true, wasm: new Uint8Array([options.runTest ?? 99]), diagnostics: [], timings: [] };
    },
  };
}

/** A pool that passes test 0 and fails test 1 with an assert_eq panic. */
function stubRunner(): Runner & { runs: RunOptions[] } {
  const runs: RunOptions[] = [];
  return {
    runs,
    size: 4,
    async run(options): Promise<RunResult> {
      runs.push(options);
      if (options.wasm[0] === 0) {
        options.onOutput?.(1, "hello\n");
        return { status: "ok", exitCode: 0, wallMs: 3 };
      }
      const message = "panic at main.kara:8:5 in __test_1: assertion `left == right` failed\n  left: 3\n right: 4";
      options.onOutput?.(1, "before\n" + message + "\n");
      return { status: "panic", exitCode: 101, message, wallMs: 2 };
    },
    stop() {},
    dispose() {},
  };
}

function record() {
  const log: { results: [number, TestEvent, string][]; started: number[]; end?: TestRunEnd; listed: number } = { results: [], started: [], listed: 0 };
  return {
    log,
    events: {
      listed: (tests: unknown[]) => void (log.listed = tests.length),
      diagnostics: () => {},
      started: (i: number) => void log.started.push(i),
      result: (i: number, e: TestEvent, out: string) => void log.results.push([i, e, out]),
      ended: (e: TestRunEnd) => void (log.end = e),
    },
  };
}

describe("TestRun", () => {
  it("checks with the tests, then builds and runs each block, reporting karac's events", async () => {
    const compiler = stubCompiler();
    const runner = stubRunner();
    const { log, events } = record();
    await new TestRun(compiler, runner, events).run({ source: "…", workers: 8 });
    expect(compiler.calls[0]).toMatchObject({ checkOnly: true, checkTests: true });
    expect(compiler.calls.slice(1).map((c) => c.runTest)).toEqual([0, 1]);
    expect(runner.runs.map((r) => [r.workers, r.timeoutMs])).toEqual([
      [4, 30_000],
      [4, 5_000],
    ]);
    expect(log.listed).toBe(3);
    expect(log.started).toEqual([0, 1]);
    // Each result comes as its test ends (a skip at once); each row keeps its place by index.
    log.results.sort((a, b) => a[0] - b[0]);
    expect(log.results.map(([i, e]) => [i, e.type])).toEqual([
      [0, "test_pass"],
      [1, "test_fail"],
      [2, "test_skip"],
    ]);
    const fail = log.results[1][1];
    expect(fail).toMatchObject({ location: { line: 8, col: 5 }, message: "assertion `left == right` failed", left: "3", right: "4" });
    expect(log.results[1][2]).toBe("before\n");
    expect(log.results[0][2]).toBe("hello\n");
    expect(log.end).toMatchObject({ kind: "finished", summary: { total: 3, passed: 1, failed: 1, skipped: 1 } });
  });

  it("runs nothing when the file has errors", async () => {
    const runner = stubRunner();
    const { log, events } = record();
    await new TestRun(stubCompiler(2), runner, events).run({ source: "…", workers: 2 });
    expect(runner.runs).toEqual([]);
    expect(log.end).toEqual({ kind: "compile-failed", errors: 2 });
  });

  it("runs the tests at the same time on lanes of the pool, and a stop names the tests it interrupted", async () => {
    const active = { now: 0, most: 0 };
    const stopped = { value: false };
    const lanesAsked: number[][] = [];
    const lane = (size: number): Runner => ({
      size,
      async run(options) {
        active.now++;
        active.most = Math.max(active.most, active.now);
        // Test 0 passes once the other has started beside it; the other runs until stopped.
        const done = () => (options.wasm[0] === 0 ? active.now === 2 : stopped.value);
        while (!done()) await new Promise((r) => setTimeout(r, 2));
        active.now--;
        return stopped.value ? { status: "stopped", exitCode: 1, message: "stopped", wallMs: 1 } : { status: "ok", exitCode: 0, wallMs: 1 };
      },
      stop() {},
      dispose() {},
    });
    const pool: Runner = {
      ...lane(4),
      lanes: (sizes) => (lanesAsked.push(sizes), sizes.map(lane)),
      stop: () => void (stopped.value = true),
    };
    const { log, events } = record();
    const compiler = stubCompiler();
    const suite = new TestRun({ compile: (s, o) => compiler.compile(s, o) }, pool, {
      ...events,
      result(i, e, out) {
        events.result(i, e, out);
        // Once test 0 has passed, the other one is still running: stop it.
        setTimeout(() => suite.stop(), 10);
      },
    });
    await suite.run({ source: "…", workers: 4 });
    expect(lanesAsked).toEqual([[2, 2]]);
    expect(active.most).toBe(2);
    expect(log.results.map(([i, e]) => [i, e.type])).toEqual([
      [2, "test_skip"],
      [0, "test_pass"],
    ]);
    expect(log.end).toMatchObject({ kind: "stopped", interrupted: [1], summary: { passed: 1, failed: 0, skipped: 1 } });
  });

  it("stop skips the tests not yet run", async () => {
    const runner = stubRunner();
    const { log, events } = record();
    const suite = new TestRun(stubCompiler(), runner, { ...events, started: () => suite.stop() });
    await suite.run({ source: "…", workers: 1 });
    expect(runner.runs).toEqual([]);
    expect(log.end?.kind).toBe("stopped");
    expect(suite.busy).toBe(false);
  });
});

describe("withoutPanicLine", () => {
  it("takes the trailing panic line out of a test's output", () => {
    expect(withoutPanicLine("a\npanic at x\n", "panic at x")).toBe("a\n");
    expect(withoutPanicLine("a\n", undefined)).toBe("a\n");
    expect(withoutPanicLine("a\n", "other")).toBe("a\n");
  });
});
