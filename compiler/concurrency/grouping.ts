// Greedy contiguous grouping of a body's top-level statements into parallel groups, with the
// serialization points that ended groups, advisory reorder opportunities, and per group the cost
// gate's verdict on whether it is worth dispatching.

import { hasLiteralKey, type EffectsResult } from "../effects/index.js";
import type { TFunction, TProgram } from "../tir/nodes.js";
import type { Conflict, SerializedBy } from "./conflicts.js";
import { CostModel, PAR_DISPATCH_MIN_COST, UNKNOWN_COST } from "./cost.js";
import { collectFacts, movedIn, type StmtFacts } from "./facts.js";
import { scanStatements, type ReorderOpportunity } from "./scan.js";

export type { ReorderOpportunity } from "./scan.js";

export type GroupReason =
  | "pure computations"
  | "independent reads on different resources"
  | "concurrent reads on same resource"
  | "independent effects on different resources"
  | "no data or effect dependencies";

export interface ParallelGroup {
  statements: number[];
  reason: GroupReason;
  /** Runs as an automatic `par` (after the cost gate and the capture rules). */
  dispatched: boolean;
  /** Why a group stays sequential, when it does. */
  declined?: string;
  /** Estimated cost per member (UNKNOWN_COST when data dependent). */
  costs: number[];
}

export interface SerializationPoint {
  statements: [number, number];
  reason: string;
  resource: string;
  blocking_callees: string[];
  serialized_by: SerializedBy;
}

export interface FunctionAnalysis {
  fn: TFunction;
  facts: StmtFacts[];
  groups: ParallelGroup[];
  serializationPoints: SerializationPoint[];
  reorderOpportunities: ReorderOpportunity[];
}

function groupReason(members: StmtFacts[]): GroupReason {
  const effectful = members.filter((m) => m.effects.length > 0);
  if (effectful.length === 0) return "pure computations";
  // Partitions of a keyed resource with distinct literal keys count as different resources.
  const resourcesOf = (m: StmtFacts): Set<string> =>
    new Set(m.effects.map((a) => (a.resource ?? "") + (hasLiteralKey(a) ? `[${a.key}]` : "")));
  const pairwiseDisjoint = (): boolean => {
    const seen = new Set<string>();
    for (const m of effectful) {
      const rs = resourcesOf(m);
      for (const r of rs) if (seen.has(r)) return false;
      for (const r of rs) seen.add(r);
    }
    return true;
  };
  if (effectful.every((m) => m.effects.every((a) => a.verb === "reads"))) {
    return pairwiseDisjoint() ? "independent reads on different resources" : "concurrent reads on same resource";
  }
  return pairwiseDisjoint() ? "independent effects on different resources" : "no data or effect dependencies";
}

function blockingCallees(program: TProgram, effects: EffectsResult, a: StmtFacts, b: StmtFacts, c: Conflict): string[] {
  if (!c.atoms) return [];
  const out: string[] = [];
  const pick = (f: StmtFacts, verb: string): void => {
    for (const id of f.callees) {
      const inferred = effects.functions.get(id)?.inferred ?? [];
      if (inferred.some((x) => x.verb === verb && x.resource === c.resource)) {
        const name = program.functions[id]?.name;
        if (name && !out.includes(name)) out.push(name);
      }
    }
  };
  pick(a, c.atoms[0].verb);
  pick(b, c.atoms[1].verb);
  return out;
}

export function analyzeFunction(program: TProgram, effects: EffectsResult, fn: TFunction, cost: CostModel, autoPar: boolean): FunctionAnalysis {
  const facts = fn.body.stmts.map((s, i) => collectFacts({ program, effects, fn }, s, i));
  const scan = scanStatements(facts, movedIn(fn.body.tail));
  const groups = scan.groups.map((g) => {
    const members = g.map((i) => facts[i]);
    return gate(members, groupReason(members), cost, autoPar);
  });
  const serializationPoints = scan.points.map(({ statements: [a, b], conflict: c }) => ({
    statements: [a, b] as [number, number],
    reason: c.reason,
    resource: c.resource,
    blocking_callees: blockingCallees(program, effects, facts[a], facts[b], c),
    serialized_by: c.serializedBy,
  }));
  return { fn, facts, groups, serializationPoints, reorderOpportunities: scan.reorders };
}

function gate(members: StmtFacts[], reason: GroupReason, cost: CostModel, autoPar: boolean): ParallelGroup {
  const costs = members.map((m) => cost.stmt(m.stmt));
  const group: ParallelGroup = { statements: members.map((m) => m.index), reason, dispatched: false, costs };
  const total = costs.reduce((a, b) => a + b, 0);
  if (!autoPar) group.declined = "automatic parallelisation is off";
  else if (members.filter((m) => !m.constantInit).length <= 1) group.declined = "trivial: at most one member does real work";
  else if (members.some((m) => m.uninitLet)) group.declined = "a member declares a binding without a value";
  else if (members.some((m) => m.writesOwnedOuter)) group.declined = "a member mutates a captured container";
  else if (total !== UNKNOWN_COST && total < PAR_DISPATCH_MIN_COST) group.declined = "below the dispatch cost threshold";
  else group.dispatched = true;
  return group;
}
