// The concurrency phase (after effects, before codegen): finds groups of independent top-level
// statements in each function and method body, decides which are worth running in parallel, and
// rewrites those into automatic `par` nodes. Also reports loop reductions. The report is the JSON
// `kara query concurrency` prints.

import type { EffectsResult } from "../effects/index.js";
import type { TFunction, TProgram } from "../check/tir.js";
import { CostModel } from "./cost.js";
import { analyzeFunction, type FunctionAnalysis } from "./grouping.js";
import { findReductions, type LoopReduction } from "./reductions.js";
import { functionReport, lookupFunction, type FunctionReport } from "./report.js";
import { liftGroups } from "./transform.js";

export interface ConcurrencyResult {
  /** The program with dispatched groups rewritten (the input itself when nothing changed). */
  program: TProgram;
  /** Whole-file JSON: every analysed function, in program order. */
  report(): unknown;
  /** JSON for one function (`name` or `Type.method`); undefined when there is none. */
  reportFor(fnName: string): unknown | undefined;
}

export interface ConcurrencyOptions {
  /** Off (`--no-auto-par`): analyse and report, transform nothing. */
  autoPar: boolean;
}

/** Only source-level bodies are grouped; lifted closures, branches and thunks are not. */
function analysable(fn: TFunction): boolean {
  return fn.kind === "fn" || fn.kind === "method";
}

export function parallelize(program: TProgram, effects: EffectsResult, options: ConcurrencyOptions): ConcurrencyResult {
  const cost = new CostModel(program);
  const analyses: { analysis: FunctionAnalysis; reductions: LoopReduction[] }[] = [];
  for (const fn of program.functions) {
    if (!analysable(fn)) continue;
    const analysis = analyzeFunction(program, effects, fn, cost, options.autoPar);
    analyses.push({ analysis, reductions: findReductions(program, effects, fn, options.autoPar, cost) });
  }

  const reports: FunctionReport[] = analyses.map(({ analysis, reductions }) => functionReport(program, analysis, reductions));

  let out = program;
  const toLift = analyses.filter(({ analysis }) => analysis.groups.some((g) => g.dispatched));
  if (options.autoPar && toLift.length > 0) {
    // The phase never mutates its input: the caller may still hold (and print) the checked program.
    out = structuredClone(program);
    for (const { analysis } of toLift) {
      const fn = out.functions[analysis.fn.id];
      const groups = analysis.groups
        .filter((g) => g.dispatched)
        .map((g) => ({ statements: g.statements, written: g.statements.map((i) => analysis.facts[i].writtenLocals) }));
      liftGroups(out, fn, groups);
    }
  }

  return {
    program: out,
    report: () => ({ file: program.file, functions: reports }),
    reportFor: (name: string) => lookupFunction(reports, name),
  };
}

export type { FunctionReport } from "./report.js";
