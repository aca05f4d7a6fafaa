// The concurrency phase (after effects, before codegen): finds groups of independent top-level
// statements in each function and method body, decides which are worth running in parallel, and
// rewrites those into automatic `par` nodes; finds integer loop reductions and fans out the ones
// that pass the cost gate. The report is the JSON `kara query concurrency` prints.

import type { EffectsResult } from "../effects/index.js";
import type { TFunction, TProgram } from "../check/tir.js";
import { CostModel } from "./cost.js";
import { analyzeFunction, type FunctionAnalysis } from "./grouping.js";
import { lowerable, lowerReduction } from "./reduce-lowering.js";
import { findReductions, type FoundReduction } from "./reductions.js";
import { functionReport, lookupFunction, type FunctionReport } from "./report.js";
import { liftGroups } from "./transform.js";

export interface ConcurrencyResult {
  /** The program with dispatched groups and reductions rewritten (the input itself when nothing changed). */
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

/** Only source-level bodies are analysed; lifted closures, branches and thunks are not. */
function analysable(fn: TFunction): boolean {
  return fn.kind === "fn" || fn.kind === "method";
}

export function parallelize(program: TProgram, effects: EffectsResult, options: ConcurrencyOptions): ConcurrencyResult {
  // The rewrite works on a copy: the caller may still hold (and print) the checked program. The
  // analysis runs on the same copy so the rewrite can address its nodes; the effect results are
  // keyed by function id and stay valid for it.
  const work = options.autoPar ? structuredClone(program) : program;
  const cost = new CostModel(work);
  const analyses: { analysis: FunctionAnalysis; reductions: FoundReduction[] }[] = [];
  for (const fn of work.functions) {
    if (!analysable(fn)) continue;
    analyses.push({
      analysis: analyzeFunction(work, effects, fn, cost, options.autoPar),
      reductions: findReductions(work, effects, fn, options.autoPar, cost),
    });
  }

  let changed = false;
  if (options.autoPar) {
    for (const { analysis, reductions } of analyses) {
      const fn = analysis.fn;
      reductions.forEach((r, k) => {
        if (r.report.cost_gate !== "fanout" || !lowerable(fn, r)) return;
        lowerReduction(work, fn, r, `${fn.name}$loop${k + 1}`);
        r.report.lowering = "parallel_fanout";
        r.report.fanned_out = true;
        r.report.reason = "dispatched across the worker pool";
        changed = true;
      });
      const groups = analysis.groups
        .filter((g) => g.dispatched)
        .map((g) => ({ statements: g.statements, written: g.statements.map((i) => analysis.facts[i].writtenLocals) }));
      if (groups.length) {
        liftGroups(work, fn, groups);
        changed = true;
      }
    }
  }

  // Reports are built after the rewrite so fan-out verdicts are final; spans and indices are the source's.
  const reports: FunctionReport[] = analyses.map(({ analysis, reductions }) => functionReport(program, analysis, reductions.map((r) => r.report)));
  return {
    program: changed ? work : program,
    report: () => ({ file: program.file, functions: reports }),
    reportFor: (name: string) => lookupFunction(reports, name),
  };
}

export type { FunctionReport } from "./report.js";
