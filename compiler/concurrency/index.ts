// The concurrency phase (after effects, before codegen): finds groups of independent top-level
// statements in each function and method body, decides which are worth running in parallel, and
// rewrites those into automatic `par` nodes; finds integer loop reductions and loops whose
// iterations write disjoint slots of outer collections, and fans out the ones that pass the cost
// gate. The report is the JSON `kara query concurrency` prints.

import type { EffectsResult } from "../effects/index.js";
import type { TExpr, TFunction, TProgram } from "../tir/nodes.js";
import { CostModel } from "./cost.js";
import { analyzeFunction, type FunctionAnalysis } from "./grouping.js";
import { lowerable, lowerReduction } from "./reduce-lowering.js";
import { findReductions, type FoundReduction } from "./reductions.js";
import { disjointLowerable, lowerDisjointLoop } from "./disjoint-lowering.js";
import { findDisjointLoops, type FoundDisjointLoop } from "./disjoint-writes.js";
import { findCollectLoops, type CollectAnalysis, type FoundCollect } from "./collect-loops.js";
import { collectLowerable, lowerCollectLoop } from "./collect-lowering.js";
import { functionReport, lookupFunction, type FunctionReport } from "./report.js";
import { liftGroups } from "./transform.js";
import { walkExpr } from "../tir/walk.js";

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
  /**
   * A rewrite that fails is a compiler bug. Users keep the sequential function (and never see
   * the failure); with `strict` the failure is thrown instead, so tests fail loudly rather than
   * run slower. Defaults to on when the environment sets KARA_STRICT_REWRITES=1 (the test suites do).
   */
  strict?: boolean;
}

/** KARA_STRICT_REWRITES=1 in the environment (there is none in a browser). */
function strictFromEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.KARA_STRICT_REWRITES === "1";
}

/** Only source-level bodies are analysed; lifted closures, branches and thunks are not. */
function analysable(fn: TFunction): boolean {
  return fn.kind === "fn" || fn.kind === "method";
}

export function parallelize(program: TProgram, effects: EffectsResult, options: ConcurrencyOptions): ConcurrencyResult {
  // The analysis reads the checked program itself: the effect results are tied to its nodes.
  const cost = new CostModel(program);
  const analyses: { analysis: FunctionAnalysis; reductions: FoundReduction[]; disjoint: FoundDisjointLoop[]; collects: CollectAnalysis }[] = [];
  for (const fn of program.functions) {
    if (!analysable(fn)) continue;
    analyses.push({
      analysis: analyzeFunction(program, effects, fn, cost, options.autoPar),
      reductions: findReductions(program, effects, fn, options.autoPar, cost),
      disjoint: findDisjointLoops(program, effects, fn, options.autoPar, cost),
      collects: findCollectLoops(program, effects, fn, options.autoPar, cost),
    });
  }

  // The rewrite works on a copy: the caller may still hold (and print) the checked program.
  let work: TProgram | undefined;
  const strict = options.strict ?? strictFromEnvironment();
  if (options.autoPar) {
    for (const { analysis, reductions, disjoint, collects } of analyses) {
      const disjointCandidates = disjoint.filter((d) => d.report.cost_gate === "fanout" && disjointLowerable(d.loop));
      const collectCandidates = collects.collects.filter((c) => c.report.cost_gate === "fanout" && collectLowerable(c));
      const reductionCandidates = reductions.filter((r) => r.report.cost_gate === "fanout" && lowerable(analysis.fn, r));
      // The outermost loop that fans out wins: a loop inside it already runs in its chunks, and
      // the rewrite of the outer loop copies its body, so an inner rewrite would be lost anyway.
      const chunked = nodesInside([...disjointCandidates.map((d) => d.loop), ...collectCandidates.map((c) => c.loop), ...reductionCandidates.map((r) => r.loop)]);
      const disjointFanouts = disjointCandidates.filter((d) => !chunked.has(d.loop));
      const collectFanouts = collectCandidates.filter((c) => !chunked.has(c.loop));
      const fanouts = reductionCandidates.filter((r) => !chunked.has(r.loop));
      for (const r of [...reductionCandidates, ...collectCandidates]) if (chunked.has(r.loop)) r.report.reason = NESTED_REASON;
      const groups = analysis.groups
        .filter((g) => g.dispatched)
        .map((g) => ({ statements: g.statements, written: g.statements.map((i) => analysis.facts[i].writtenLocals), costs: g.costs }));
      if (fanouts.length === 0 && groups.length === 0 && disjointFanouts.length === 0 && collectFanouts.length === 0) continue;
      // Only the function list is ever changed (a rewritten function replaces its entry, lifted
      // bodies are appended): copying the list, not the whole program, keeps the original intact.
      work ??= { ...program, functions: [...program.functions] };
      const id = analysis.fn.id;
      const functionCount = work.functions.length;
      try {
        // One structured clone of the function together with the loops found in it: a clone keeps
        // the sharing inside its argument, so each cloned loop is the very node inside the cloned body.
        const [fn, reductionLoops, disjointLoops, collectLoops] = structuredClone([
          analysis.fn,
          fanouts.map((r) => r.loop),
          disjointFanouts.map((d) => d.loop),
          collectFanouts.map((c) => c.loop),
        ] as const);
        work.functions[id] = fn;
        fanouts.forEach((r, k) => lowerReduction(work!, fn, { ...r, loop: reductionLoops[k] }, `${fn.name}$loop${k + 1}`));
        disjointFanouts.forEach((d, k) => lowerDisjointLoop(work!, fn, { ...d, loop: disjointLoops[k] }, `${fn.name}$disjoint${k + 1}`));
        collectFanouts.forEach((c, k) => lowerCollectLoop(work!, fn, { ...c, loop: collectLoops[k] }, `${fn.name}$collect${k + 1}`));
        if (groups.length) liftGroups(work, fn, groups);
      } catch (err) {
        if (strict) throw new Error(`automatic parallelisation of ${analysis.fn.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        // A rewrite that cannot be completed must not cost the user their program: this function
        // keeps its sequential form (branches lifted so far are dropped) and reports no dispatch.
        work.functions.length = functionCount;
        work.functions[id] = structuredClone(program.functions[id]);
        for (const g of analysis.groups) g.dispatched = false;
        continue;
      }
      for (const r of fanouts) {
        r.report.lowering = "parallel_fanout";
        r.report.fanned_out = true;
        r.report.reason = "dispatched across the worker pool";
      }
      for (const d of disjointFanouts) d.report.fanned_out = true;
      for (const c of collectFanouts) {
        c.report.lowering = "parallel_fanout";
        c.report.fanned_out = true;
        c.report.reason = "dispatched across the worker pool";
      }
    }
  }

  // Built after the rewrite so fan-out verdicts are final; spans and indices are the source's.
  const reports: FunctionReport[] = analyses.map(({ analysis, reductions, disjoint, collects }) => {
    // An annotated loop without a push that the reduction or disjoint-write lane recognised
    // carries its verdict there.
    const otherLane = new Set<TExpr>([...reductions.map((r) => r.loop), ...disjoint.filter((d) => d.report.disjoint_writes).map((d) => d.loop)]);
    const declined = collects.declined.filter((d) => !(d.tag === "no_collect" && otherLane.has(d.loop))).map((d) => d.report);
    const loopReductions = [...reductions.map((r) => r.report), ...collects.collects.map((c) => c.report)].sort((a, b) => a.statement - b.statement || a.loop_line - b.loop_line);
    return functionReport(program, analysis, loopReductions, disjoint.map((d) => d.report), declined);
  });
  return {
    program: work ?? program,
    report: () => ({ file: program.file, functions: reports }),
    reportFor: (name: string) => lookupFunction(reports, name),
  };
}

const NESTED_REASON = "runs inside the chunks of an enclosing loop that fans out";

/** Every expression node strictly inside the given loops. */
function nodesInside(loops: TExpr[]): Set<TExpr> {
  const out = new Set<TExpr>();
  for (const l of loops) walkExpr(l, { expr: (e) => void (e !== l && out.add(e)) });
  return out;
}

export type { FunctionReport } from "./report.js";
