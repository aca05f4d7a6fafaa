// `kara test FILE`: runs the file's `test "name" { .. }` blocks and reports them as karac's test
// runner does, one JSON object per line on stdout (compiler/testing/outcome.ts): `run_start`,
// a `test_pass` / `test_fail` / `test_timeout` / `test_skip` per test in source order, then `summary`. The exit
// status is 1 when a test failed or the file does not compile (its diagnostics go to stderr and no
// event is printed, as karac prints no half run), 0 otherwise. What the tests print goes to stderr,
// so stdout stays one event per line.

import type { CompileResult } from "../compiler/api.js";
import { renderDiagnostic } from "../compiler/diagnostics.js";
import { eventLine, isFailure, resourceVariable, summaryEvent, testEvent, type TestEvent } from "../compiler/testing/outcome.js";
import type { Command } from "./args.js";
import { startCodegenThread } from "./codegen-thread.js";
import { readSource, type Streams } from "./commands.js";

type TestCommand = Extract<Command, { kind: "test" }>;

export async function runTests(cmd: TestCommand, io: Streams): Promise<number> {
  const started = performance.now();
  const { text: source, diagnostics: sourceProblems } = await readSource(cmd.file);
  const report = (result: Pick<CompileResult, "diagnostics">): void => {
    for (const d of result.diagnostics) io.stderr(renderDiagnostic(d, cmd.file, source) + "\n");
  };
  if (sourceProblems.length) {
    report({ diagnostics: sourceProblems });
    return 1;
  }
  const { compile } = await import("../compiler/compile.js");
  // Every test block is checked with the rest of the file before any runs.
  const checked = await compile(source, { fileName: cmd.file, checkOnly: true, checkTests: true });
  if (checked.diagnostics.some((d) => d.severity === "error")) {
    report(checked);
    return 1;
  }
  const tests = (checked.tests ?? []).map((t, index) => ({ ...t, index })).filter((t) => cmd.filter === undefined || t.name.includes(cmd.filter));

  const events: TestEvent[] = [];
  const emit = (e: TestEvent): void => {
    events.push(e);
    io.stdout(eventLine(e));
  };
  emit({ type: "run_start", total_tests: tests.length });
  if (tests.length > 0) {
    const codegen = startCodegenThread();
    const { createNodeRunner, defaultPoolSize } = await import("../wasm-runtime/node.js");
    const workers = cmd.workers ?? defaultPoolSize();
    const runner = createNodeRunner(workers);
    try {
      for (const test of tests) {
        // `#[test(requires = [..])]`: skipped unless each resource's variable is set (karac's probe).
        const missing = (test.requires ?? []).filter((r) => !process.env[resourceVariable(r)]);
        if (missing.length > 0) {
          emit({ type: "test_skip", test: test.name, reason: "unsatisfied_requires", resources: missing });
          continue;
        }
        const timeoutSeconds = test.timeoutSeconds ?? cmd.timeoutSeconds;
        const built = await compile(source, { fileName: cmd.file, runTest: test.index }, codegen && (() => codegen));
        if (!built.ok || !built.wasm) {
          // Checked above, so only a compiler limit gets here: report it as this test failing.
          report(built);
          emit({ type: "test_fail", test: test.name, duration_ms: 0, message: built.diagnostics[0]?.message ?? "the test did not compile" });
          continue;
        }
        let output = "";
        const run = await runner.run({
          wasm: built.wasm,
          workers,
          timeoutMs: timeoutSeconds * 1000,
          onOutput: (_fd, text) => void (output += text),
        });
        // The panic line is in the event; the rest is what the test printed.
        if (run.message && output.endsWith(run.message + "\n")) output = output.slice(0, -(run.message.length + 1));
        else if (run.message && output.endsWith(run.message)) output = output.slice(0, -run.message.length);
        if (output) io.stderr(output);
        emit(testEvent(test, run, timeoutSeconds));
      }
    } finally {
      runner.dispose();
      codegen?.dispose();
    }
  }
  emit(summaryEvent(events, performance.now() - started));
  return events.some(isFailure) ? 1 : 0;
}
