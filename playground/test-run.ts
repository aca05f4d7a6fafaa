// The Test button's work, without the DOM: check the file with its `test "name" { .. }` blocks,
// then build and run each block in source order on the page's worker pool, reporting karac's
// test-runner event for each (compiler/testing/outcome.ts), as `kara test` does. The pool runs one
// program at a time, so tests run one after another, each on all the workers chosen (a test's own
// `par` and spawns run in parallel). Stop ends the test running and skips the rest.

import type { CompileOptions, CompileResult, TestInfo } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { summaryEvent, testEvent, type TestEvent } from "../compiler/testing/outcome.js";
import type { Runner } from "../wasm-runtime/api.js";

/** karac's default time limit for one test, in seconds (a test's `#[test(timeout_seconds = N)]` wins). */
export const DEFAULT_TEST_TIMEOUT_SECONDS = 30;

export interface ListedTest extends TestInfo {
  /** Position among the file's test blocks (what `CompileOptions.runTest` takes). */
  index: number;
}

export type TestRunEnd =
  | { kind: "compile-failed"; errors: number }
  | { kind: "no-tests" }
  | { kind: "finished"; summary: Extract<TestEvent, { type: "summary" }> }
  | { kind: "stopped"; summary: Extract<TestEvent, { type: "summary" }> }
  /** The compiler or the pool itself failed. */
  | { kind: "failed"; message: string };

export interface TestRunEvents {
  /** The file checked; these are its tests (every one pending). */
  listed(tests: ListedTest[]): void;
  diagnostics(diagnostics: Diagnostic[]): void;
  /** Test `index` is being built and run. */
  started(index: number): void;
  /** Test `index` ended: its event and what it printed (its panic line taken out). */
  result(index: number, event: TestEvent, output: string): void;
  ended(end: TestRunEnd): void;
}

export interface TestRunCompiler {
  compile(source: string, options?: CompileOptions): Promise<CompileResult>;
}

export interface TestRunRequest {
  source: string;
  workers: number;
  fileName?: string;
}

export class TestRun {
  private running: { stopped: boolean } | undefined;

  constructor(
    private readonly compiler: TestRunCompiler,
    private readonly runner: Runner | undefined,
    private readonly events: TestRunEvents,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  async run(request: TestRunRequest): Promise<void> {
    if (this.running) return;
    const state = { stopped: false };
    this.running = state;
    const started = performance.now();
    const fileName = request.fileName ?? "main.kara";
    const end = (e: TestRunEnd): void => {
      this.running = undefined;
      this.events.ended(e);
    };
    try {
      // Every block is checked with the rest of the file before any runs (as `kara test` does).
      const checked = await this.compiler.compile(request.source, { fileName, checkOnly: true, checkTests: true });
      this.events.diagnostics(checked.diagnostics);
      const errors = checked.diagnostics.filter((d) => d.severity === "error").length;
      if (errors > 0) return end({ kind: "compile-failed", errors });
      const tests = (checked.tests ?? []).map((t, index) => ({ ...t, index }));
      this.events.listed(tests);
      if (tests.length === 0) return end({ kind: "no-tests" });
      if (!this.runner) return end({ kind: "failed", message: "the worker pool is not available" });
      const workers = Math.max(1, Math.min(this.runner.size, request.workers));

      const events: TestEvent[] = [];
      const report = (index: number, e: TestEvent, output = ""): void => {
        events.push(e);
        this.events.result(index, e, output);
      };
      for (const test of tests) {
        if (state.stopped) break;
        // A page has no resources to offer: a test that requires one is skipped, as karac skips
        // it where the resource's variable is not set.
        if (test.requires && test.requires.length > 0) {
          report(test.index, { type: "test_skip", test: test.name, reason: "unsatisfied_requires", resources: test.requires });
          continue;
        }
        this.events.started(test.index);
        const built = await this.compiler.compile(request.source, { fileName, runTest: test.index });
        if (state.stopped) break;
        if (!built.ok || !built.wasm) {
          // Checked above, so only a compiler limit gets here: this test fails, the others run.
          report(test.index, { type: "test_fail", test: test.name, duration_ms: 0, message: built.diagnostics[0]?.message ?? "the test did not compile" });
          continue;
        }
        const timeoutSeconds = test.timeoutSeconds ?? DEFAULT_TEST_TIMEOUT_SECONDS;
        let output = "";
        const result = await this.runner.run({
          wasm: built.wasm,
          workers,
          timeoutMs: timeoutSeconds * 1000,
          onOutput: (_fd, text) => void (output += text),
        });
        if (result.status === "stopped" && state.stopped) break;
        report(test.index, testEvent(test, result, timeoutSeconds), withoutPanicLine(output, result.message));
      }
      const summary = summaryEvent(events, performance.now() - started) as Extract<TestEvent, { type: "summary" }>;
      end(state.stopped ? { kind: "stopped", summary } : { kind: "finished", summary });
    } catch (err) {
      end({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Stop the test running now; the rest are not run. */
  stop(): void {
    if (!this.running) return;
    this.running.stopped = true;
    this.runner?.stop();
  }
}

/** The program prints its own panic line; the test's event carries it, so the output need not. */
export function withoutPanicLine(output: string, message: string | undefined): string {
  if (!message) return output;
  if (output.endsWith(message + "\n")) return output.slice(0, -(message.length + 1));
  if (output.endsWith(message)) return output.slice(0, -message.length);
  return output;
}
