// What a test's run means, and karac's report of it. `kara test` (and a playground Test panel)
// runs the module `compile(source, { runTest: i })` builds for each test block; the run passing
// is the test passing. The report is karac's test-runner output: one JSON object per line with
// a `type` field — `run_start`, then `test_pass` / `test_fail` / `test_timeout` per test in
// source order, then `summary` (README "Tests").

import type { TestInfo } from "../api.js";

/** The parts of a run's result (wasm-runtime RunResult) a test outcome depends on. */
export interface TestRun {
  status: "ok" | "panic" | "error-result" | "deadlock" | "timeout" | "stopped" | "crash";
  exitCode: number;
  /** The panic line (`panic at FILE:LINE:COL in FN: MESSAGE`), deadlock report or crash reason. */
  message?: string;
  wallMs: number;
}

export type TestEvent =
  | { type: "run_start"; total_tests: number }
  | { type: "test_pass"; test: string; duration_ms: number }
  | {
      type: "test_fail";
      test: string;
      duration_ms: number;
      location?: { file: string; line: number; col: number };
      message: string;
      /** The two values of a failed `assert_eq` / `assert_ne`, as they print. */
      left?: string;
      right?: string;
    }
  | { type: "test_timeout"; test: string; timeout_s: number; elapsed_ms: number }
  | { type: "test_skip"; test: string; reason: "unsatisfied_requires"; resources: string[] }
  | { type: "summary"; total: number; passed: number; failed: number; skipped: number; duration_ms: number };

const PANIC_LINE = /^panic at (.*):(\d+):(\d+) in [^:]*: ([\s\S]*)$/;
const COMPARISON = /^([\s\S]*?)\n {2}left: ([\s\S]*)\n right: ([\s\S]*)$/;

/** The event for one test's run; `timeoutSeconds` is the limit the run was given. */
export function testEvent(test: Pick<TestInfo, "name">, run: TestRun, timeoutSeconds?: number): TestEvent {
  const duration = Math.round(run.wallMs);
  if (run.status === "ok" && run.exitCode === 0) return { type: "test_pass", test: test.name, duration_ms: duration };
  if (run.status === "timeout") return { type: "test_timeout", test: test.name, timeout_s: timeoutSeconds ?? 0, elapsed_ms: duration };
  const base = { type: "test_fail" as const, test: test.name, duration_ms: duration };
  const panic = run.message !== undefined ? PANIC_LINE.exec(run.message.replace(/\n$/, "")) : null;
  if (!panic) return { ...base, message: run.message ?? `test ended with status ${run.status}` };
  // karac's key order: location, message, then the compared values.
  const location = { file: panic[1], line: Number(panic[2]), col: Number(panic[3]) };
  const cmp = COMPARISON.exec(panic[4]);
  if (!cmp) return { ...base, location, message: panic[4] };
  return { ...base, location, message: cmp[1], left: cmp[2], right: cmp[3] };
}

/** Whether the event counts as a failure in the summary. */
export function isFailure(e: TestEvent): boolean {
  return e.type === "test_fail" || e.type === "test_timeout";
}

export function summaryEvent(events: TestEvent[], durationMs: number): TestEvent {
  const failed = events.filter(isFailure).length;
  const passed = events.filter((e) => e.type === "test_pass").length;
  const skipped = events.filter((e) => e.type === "test_skip").length;
  return { type: "summary", total: passed + failed + skipped, passed, failed, skipped, duration_ms: Math.round(durationMs) };
}

/**
 * The environment variable that says a resource a test requires is available, as karac names it:
 * `db.Users` → `KARA_RESOURCE_DB_USERS` (set and not empty means available).
 */
export function resourceVariable(resource: string): string {
  return `KARA_RESOURCE_${resource.replace(/\./g, "_").toUpperCase()}`;
}

/** One line of the report (karac's key order: `type` first). */
export function eventLine(e: TestEvent): string {
  return JSON.stringify(e) + "\n";
}
