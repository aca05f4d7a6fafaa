// The compiler's single entry point: source text in, wasm bytes and reports out.
// Each phase consumes only what the previous one produced; a phase that finds errors
// stops the pipeline after it, so later phases only ever see well-formed input.

import type { CompileOptions, CompileResult, PhaseTiming } from "./api.js";
import type { Diagnostic, Phase } from "./diagnostics.js";
import { sortDiagnostics } from "./diagnostics.js";
import { parse } from "./syntax/parser.js";
import { check } from "./check/index.js";
import { missingMain } from "./check/entry-point.js";
import { listTests, withTestFunctions } from "./testing/lower.js";
import { analyzeEffects } from "./effects/index.js";
import { parallelize } from "./concurrency/index.js";
import type { FunctionReport } from "./concurrency/report.js";
import type { TProgram } from "./tir/nodes.js";
import type { GenerateOptions, GenerateResult } from "./codegen/index.js";
import type { SourceFilePlace } from "./tir/source-files.js";
import { assertValidTir, verifyAfterPhase } from "./tir/verify.js";
import type { Program, TestDecl } from "./syntax/ast.js";
import { mergeFiles } from "./modules/merge.js";
import { isTestCompanion } from "./modules/companions.js";
import type { SourceLayout, SourceFile } from "./modules/layout.js";
import { isStackExhaustion, nestingLimitDiagnostic } from "./nesting-limit.js";

/**
 * Code generation, behind a seam: it brings Binaryen (megabytes of JavaScript and wasm), so it
 * loads only when a module is wanted, from the start of compile() so loading overlaps the
 * analyses. The CLI supplies one that runs in a worker thread (cli/codegen-thread.ts).
 */
export interface CodeGenerator {
  /** Settles once the generator has loaded; compile() waits for it outside the codegen timing. */
  ready: Promise<void>;
  generate(program: TProgram, options: GenerateOptions): GenerateResult | Promise<GenerateResult>;
}

/** The default generator: codegen/index.ts in this thread. */
function inThreadGenerator(): CodeGenerator {
  const loading = import("./codegen/index.js");
  const ready = loading.then(() => undefined);
  ready.catch(() => {}); // awaited after the analyses; an early return must not leave it unhandled
  return { ready, generate: async (program, options) => (await loading).generate(program, options) };
}

const clock = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

// A bug in the compiler must still reach the user as a diagnostic, never as a crash.
function internalError(phase: Phase, err: unknown): Diagnostic {
  const detail = err instanceof Error ? err.message : String(err);
  if (isStackExhaustion(err)) return nestingLimitDiagnostic(phase);
  return {
    code: "E9999",
    severity: "error",
    phase,
    message: `internal compiler error in ${phase}: ${detail}`,
    span: { offset: 0, length: 0, line: 1, column: 1 },
  };
}

export async function compile(source: string, options: CompileOptions = {}, codeGenerator?: () => CodeGenerator): Promise<CompileResult> {
  const fileName = options.fileName ?? "main.kara";
  return runPipeline(() => parse(source, fileName), fileName, options, codeGenerator);
}

/**
 * A program of several files (compiler/modules/): the first is the root module, which holds
 * `fn main`; the others are the modules it imports by path (`geo/shapes.kara` is `geo.shapes`).
 * Each diagnostic names its file (`file`) and its span is that file's; each test names its file.
 * One file compiles exactly as compile() does.
 */
export async function compileFiles(allFiles: readonly SourceFile[], options: CompileOptions = {}, codeGenerator?: () => CodeGenerator): Promise<CompileResult> {
  // Test companions (`util_test.kara`, modules/companions.ts) join only when tests are checked or run.
  const withTests = options.checkTests || options.runTest !== undefined;
  const files = withTests ? allFiles : allFiles.filter((f, i) => i === 0 || !isTestCompanion(f.name));
  if (files.length <= 1) return compile(files[0]?.text ?? "", { ...options, fileName: options.fileName ?? files[0]?.name }, codeGenerator);
  let layout: SourceLayout | undefined;
  let tests: TestDecl[] = [];
  const rootName = options.fileName ?? files[0]?.name ?? "main.kara";
  const result = await runPipeline(() => {
    const merged = mergeFiles(files);
    layout = merged.layout;
    tests = merged.program.tests ?? [];
    return { ...merged, sourceFiles: merged.layout.files.map((f) => ({ name: f.name, base: f.base })) };
  }, rootName, options, codeGenerator);
  if (!layout) return result;
  const placed = layout;
  result.diagnostics = result.diagnostics.map((d) => placed.localDiagnostic(d));
  if (result.tests) result.tests = result.tests.map((t, i) => (tests[i] ? { ...t, file: placed.fileAt(tests[i].nameSpan.offset).name } : t));
  if (result.concurrency) {
    const report = result.concurrency as { functions: FunctionReport[] };
    result.concurrency = { ...report, functions: report.functions.map((f) => ({ ...f, statement_spans: f.statement_spans.map((s) => localStatementSpan(placed, s)) })) };
  }
  return result;
}

/** A statement span of the concurrency report as one of its file: the file's name, its own offsets. */
function localStatementSpan<T extends { file: string; offset: number; end_offset: number }>(layout: SourceLayout, span: T): T {
  const file = layout.fileAt(span.offset);
  return { ...span, file: file.name, offset: span.offset - file.base, end_offset: span.end_offset - file.base };
}

async function runPipeline(
  parseStage: () => { program: Program; diagnostics: Diagnostic[]; sourceFiles?: SourceFilePlace[] },
  fileName: string,
  options: CompileOptions,
  codeGenerator: (() => CodeGenerator) | undefined,
): Promise<CompileResult> {
  const generator = options.checkOnly ? undefined : (codeGenerator ?? inThreadGenerator)();
  const timings: PhaseTiming[] = [];
  const diagnostics: Diagnostic[] = [];
  // A module to run needs `fn main`; a check-only compile accepts a library. The missing entry point
  // is reported with whatever the analyses find (they all still run) and stops before codegen.
  let entryError: Diagnostic | undefined;
  const finish = (extra: Partial<CompileResult> = {}): CompileResult => {
    const sorted = sortDiagnostics(entryError ? [...diagnostics, entryError] : diagnostics);
    return { ok: !sorted.some((d) => d.severity === "error") && !!extra.wasm, diagnostics: sorted, timings, ...extra };
  };

  function phase<T>(name: PhaseTiming["phase"], diagPhase: Phase, run: () => T): T | undefined {
    const t0 = clock();
    try {
      return run();
    } catch (err) {
      diagnostics.push(internalError(diagPhase, err));
      return undefined;
    } finally {
      timings.push({ phase: name, ms: clock() - t0 });
    }
  }
  const failed = (): boolean => diagnostics.some((d) => d.severity === "error");

  const parsed = phase("parse", "parse", parseStage);
  if (!parsed) return finish();
  diagnostics.push(...parsed.diagnostics);
  const tests = listTests(parsed.program);
  if (failed()) return finish({ tests });
  // Test blocks are functions only when they are checked or run (compiler/testing/lower.ts).
  const withTests = options.checkTests || options.runTest !== undefined ? withTestFunctions(parsed.program) : undefined;
  diagnostics.push(...(withTests?.diagnostics ?? []));
  if (failed()) return finish({ tests });
  const program = withTests?.program ?? parsed.program;
  const entryTest = options.runTest !== undefined ? withTests?.tests[options.runTest] : undefined;
  if (options.runTest !== undefined && !entryTest) {
    diagnostics.push(internalError("resolve", new Error(`the file has no test block number ${options.runTest} (it has ${tests.length})`)));
    return finish({ tests });
  }
  if (generator && !entryTest) entryError = missingMain(program);

  const checked = phase("check", "type", () => check(program));
  if (!checked) return finish({ tests });
  diagnostics.push(...checked.diagnostics);
  if (failed() || !checked.program) return finish({ tests });
  const typed = checked.program;
  // Every later report finds the file of a place from these (tir/source-files.ts).
  if (parsed.sourceFiles) typed.sourceFiles = parsed.sourceFiles;
  if (entryTest) typed.main = typed.functions.find((f) => f.kind === "fn" && f.name === entryTest.fnName)?.id;

  // Effect phase: inference, `pub fn` verification, par/task safety. Its errors stop the
  // pipeline; its warnings and notes do not. The report is returned either way.
  const effects = phase("effects", "effect", () => {
    const analysed = analyzeEffects(typed);
    if (verifyAfterPhase()) assertValidTir(typed, "the effect phase");
    return analysed;
  });
  if (!effects) return finish({ tests });
  diagnostics.push(...effects.diagnostics);
  const effectsReport = effects.report();
  if (failed()) return finish({ effects: effectsReport, tests });

  // Concurrency phase: independent statements and integer loop reductions become automatic `par`
  // nodes (only analysed and reported when auto-par is off). It reports no diagnostics.
  const concurrency = phase("concurrency", "concurrency", () => {
    const rewritten = parallelize(typed, effects, { autoPar: options.autoPar ?? true });
    if (verifyAfterPhase()) assertValidTir(rewritten.program, "automatic parallelisation");
    return rewritten;
  });
  if (!concurrency) return finish({ effects: effectsReport, tests });
  const reports = { effects: effectsReport, concurrency: concurrency.report(), tests };
  if (!generator || entryError) return finish(reports);
  const lowered = concurrency.program;

  let emitted: GenerateResult | undefined;
  try {
    await generator.ready; // loading Binaryen is not code generation: it stays out of the timings
    const t0 = clock();
    try {
      emitted = await generator.generate(lowered, { fileName, optimize: options.optimize ?? 0, emitText: options.emitText ?? false });
    } finally {
      timings.push({ phase: "codegen", ms: clock() - t0 });
    }
  } catch (err) {
    diagnostics.push(internalError("codegen", err));
  }
  if (!emitted) return finish(reports);
  // Binaryen's validation, optimisation and serialisation are reported as their own phase.
  if (emitted.emitMs !== undefined) {
    const codegen = timings[timings.length - 1];
    codegen.ms = Math.max(0, codegen.ms - emitted.emitMs);
    timings.push({ phase: "emit", ms: emitted.emitMs });
  }
  diagnostics.push(...emitted.diagnostics);
  if (failed()) return finish(reports);
  return finish({ wasm: emitted.wasm, wat: emitted.wat, ...reports });
}
