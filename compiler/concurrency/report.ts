// The JSON of `kara query concurrency FILE.kara.fn`: karac's keys in karac's order, plus our
// `dispatched` flag on each parallel group.

import type { TProgram } from "../tir/nodes.js";
import type { FunctionAnalysis, ReorderOpportunity, SerializationPoint } from "./grouping.js";
import type { LoopReduction } from "./reductions.js";
import type { DisjointWriteLoop } from "./disjoint-writes.js";
import type { DeclinedParLoop } from "./collect-loops.js";

export interface FunctionReport {
  function: string;
  total_statements: number;
  /** karac's start positions, plus our UTF-16 source offsets of each statement's start and end
   * (exclusive), so a client holding the source can mark the statement's whole extent. */
  statement_spans: { file: string; line: number; column: number; offset: number; end_offset: number }[];
  parallel_groups: { statements: number[]; reason: string; dispatched: boolean }[];
  loop_reductions: LoopReduction[];
  declined_par_loops: DeclinedParLoop[];
  disjoint_write_loops: DisjointWriteLoop[];
  serialization_points: SerializationPoint[];
  reorder_opportunities: ReorderOpportunity[];
}

export function functionReport(program: TProgram, a: FunctionAnalysis, reductions: LoopReduction[], disjoint: DisjointWriteLoop[], declined: DeclinedParLoop[] = []): FunctionReport {
  return {
    function: a.fn.name,
    total_statements: a.facts.length,
    statement_spans: a.facts.map((f) => ({
      file: program.file,
      line: f.span.line,
      column: f.span.column,
      offset: f.span.offset,
      end_offset: f.span.offset + f.span.length,
    })),
    parallel_groups: a.groups.map((g) => ({ statements: g.statements, reason: g.reason, dispatched: g.dispatched })),
    loop_reductions: reductions,
    declined_par_loops: declined,
    disjoint_write_loops: disjoint,
    serialization_points: a.serializationPoints.map((p) => ({
      statements: p.statements,
      reason: p.reason,
      resource: p.resource,
      blocking_callees: p.blocking_callees,
      serialized_by: p.serialized_by,
    })),
    reorder_opportunities: a.reorderOpportunities,
  };
}

/** Generic instances are named `f[i64]`; the query names the source function. */
function baseName(name: string): string {
  let out = "";
  let depth = 0;
  for (const ch of name) {
    if (ch === "[") depth++;
    else if (ch === "]") depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

export function lookupFunction(reports: FunctionReport[], name: string): FunctionReport | undefined {
  return reports.find((r) => r.function === name) ?? reports.find((r) => baseName(r.function) === name);
}
