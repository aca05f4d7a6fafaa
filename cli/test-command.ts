// `kara test FILE` / `kara test DIR`: runs the program's `test "name" { .. }` blocks in parallel
// on the worker pool (compiler/testing/suite.ts: the `--workers` split into lanes, one test per lane
// at a time, each test its own program) and reports them as karac's test runner does, one JSON
// object per line on stdout (compiler/testing/outcome.ts): `run_start`, a `test_pass` /
// `test_fail` / `test_timeout` / `test_skip` per test in source order, then `summary`. The exit
// status is 1 when a test failed or the program does not compile (its diagnostics go to stderr and
// no event is printed, as karac prints no half run), 0 otherwise. What the tests print goes to
// stderr, each test's output whole, just before its event, so stdout stays one event per line.
// A directory, or a file importing sibling modules, is a program of several files (loaded as
// `kara run` loads it, cli/program-files.ts), with each file's test companion (`util_test.kara`,
// whose `test` blocks and `fn test_*()` functions are tests of util's module): the tests of every
// file run, in file order.

import type { CompileOptions, CompileResult } from "../compiler/api.js";
import type { CodeGenerator } from "../compiler/compile.js";
import { renderDiagnostic } from "../compiler/diagnostics.js";
import { eventLine, isFailure, resourceVariable, summaryEvent, type TestEvent } from "../compiler/testing/outcome.js";
import { runSuite, type SuiteTest } from "../compiler/testing/suite.js";
import type { Command } from "./args.js";
import { startCodegenThread } from "./codegen-thread.js";
import type { Streams } from "./commands.js";
import { displayPath, loadProgram } from "./program-files.js";

type TestCommand = Extract<Command, { kind: "test" }>;

export async function runTests(cmd: TestCommand, io: Streams): Promise<number> {
  const started = performance.now();
  const program = await loadProgram(cmd.file, { tests: true });
  const root = program.files[0];
  const report = (result: Pick<CompileResult, "diagnostics">): void => {
    for (const d of result.diagnostics) {
      // A program of several files: each diagnostic is shown in its own file.
      const own = d.file !== undefined ? program.files.find((f) => f.name === d.file) : undefined;
      io.stderr(renderDiagnostic(d, displayPath(program, own?.name), (own ?? root).text) + "\n");
    }
  };
  if (program.diagnostics.length) {
    report(program);
    return 1;
  }
  const { compile, compileFiles } = await import("../compiler/compile.js");
  // A lone file compiles exactly as before; a program of several files through compileFiles.
  const single = program.files.length === 1 && program.rootPath === cmd.file;
  const compileProgram = (options: CompileOptions, codegen?: () => CodeGenerator): Promise<CompileResult> =>
    single ? compile(root.text, { fileName: cmd.file, ...options }, codegen) : compileFiles(program.files, { fileName: program.rootPath, ...options }, codegen);
  // Every test block is checked with the rest of the program before any runs.
  const checked = await compileProgram({ checkOnly: true, checkTests: true });
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
    const suiteTests: SuiteTest[] = tests.map((test) => {
      // `#[test(requires = [..])]`: skipped unless each resource's variable is set (karac's probe).
      const missing = (test.requires ?? []).filter((r) => !process.env[resourceVariable(r)]);
      return {
        name: test.name,
        index: test.index,
        timeoutSeconds: test.timeoutSeconds ?? cmd.timeoutSeconds,
        skip: missing.length > 0 ? { type: "test_skip", test: test.name, reason: "unsatisfied_requires", resources: missing } : undefined,
      };
    });
    try {
      // The tests run in parallel, on lanes of the pool; their events and output come in source order.
      await runSuite(suiteTests, runner, workers, {
        stopped: () => false,
        build: async (test) => {
          const built = await compileProgram({ runTest: test.index }, codegen && (() => codegen));
          if (built.ok && built.wasm) return { wasm: built.wasm };
          // Checked above, so only a compiler limit gets here: report it as this test failing.
          report(built);
          return { failure: built.diagnostics[0]?.message ?? "the test did not compile" };
        },
        result: (_index, event, output) => {
          if (output) io.stderr(output);
          emit(event);
        },
      });
    } finally {
      runner.dispose();
      codegen?.dispose();
    }
  }
  emit(summaryEvent(events, performance.now() - started));
  return events.some(isFailure) ? 1 : 0;
}
