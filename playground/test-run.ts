// The Test button's work, without the DOM: check the file with its `test "name" { .. }` blocks,
// then build and run the blocks in parallel on the page's worker pool (compiler/testing/suite.ts:
// the chosen workers split into lanes, one test per lane at a time, each test its own program),
// reporting karac's test-runner event for each (compiler/testing/outcome.ts), as `kara test` does.
// Stop ends the tests running (reported as interrupted, by name) and skips the rest.

import type { CompileOptions, CompileResult, TestInfo } from "../compiler/api.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { summaryEvent, type TestEvent } from "../compiler/testing/outcome.js";
import { runSuite, withoutPanicLine, type SuiteTest } from "../compiler/testing/suite.js";
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
  /** `interrupted`: the tests (by index) that were running when Stop was pressed. */
  | { kind: "stopped"; summary: Extract<TestEvent, { type: "summary" }>; interrupted: number[] }
  /** The compiler or the pool itself failed. */
  | { kind: "failed"; message: string };

export interface TestRunEvents {
  /** The file checked; these are its tests (every one pending). */
  listed(tests: ListedTest[]): void;
  diagnostics(diagnostics: Diagnostic[]): void;
  /** Test `index` is being built and run. */
  started(index: number): void;
  /** Test `index` ended (tests end in any order): its event and what it printed (its panic line taken out). */
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

      const suiteTests: SuiteTest[] = tests.map((test) => ({
        name: test.name,
        index: test.index,
        timeoutSeconds: test.timeoutSeconds ?? DEFAULT_TEST_TIMEOUT_SECONDS,
        // A page has no resources to offer: a test that requires one is skipped, as karac skips
        // it where the resource's variable is not set.
        skip: test.requires && test.requires.length > 0 ? { type: "test_skip", test: test.name, reason: "unsatisfied_requires", resources: test.requires } : undefined,
      }));
      const outcome = await runSuite(suiteTests, this.runner, workers, {
        stopped: () => state.stopped,
        started: (index) => this.events.started(index),
        // Each row shows its result as soon as it is known; the rows stay in listing order.
        settled: (index, event, output) => this.events.result(index, event, output),
        build: async (test) => {
          const built = await this.compiler.compile(request.source, { fileName, runTest: test.index });
          // Checked above, so only a compiler limit fails here: this test fails, the others run.
          if (!built.ok || !built.wasm) return { failure: built.diagnostics[0]?.message ?? "the test did not compile" };
          return { wasm: built.wasm };
        },
      });
      const summary = summaryEvent(outcome.events, performance.now() - started) as Extract<TestEvent, { type: "summary" }>;
      const interrupted = outcome.interrupted.map((t) => t.index);
      end(state.stopped ? { kind: "stopped", summary, interrupted } : { kind: "finished", summary });
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

export { withoutPanicLine };
