// Greedy contiguous grouping of a body's top-level statements into parallel groups, with the
// serialization points that ended groups, advisory reorder opportunities, and per group the cost
// gate's verdict on whether it is worth dispatching.

import { hasLiteralKey, type EffectsResult } from "../effects/index.js";
import type { TFunction, TProgram } from "../check/tir.js";
import { statementsConflict, type Conflict, type SerializedBy } from "./conflicts.js";
import { CostModel, PAR_DISPATCH_MIN_COST, UNKNOWN_COST } from "./cost.js";
import { collectFacts, movedIn, type StmtFacts } from "./facts.js";

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

export interface ReorderOpportunity {
  statements: [number, number];
  movable_statement: number;
  reason: string;
}

export interface FunctionAnalysis {
  fn: TFunction;
  facts: StmtFacts[];
  groups: ParallelGroup[];
  serializationPoints: SerializationPoint[];
  reorderOpportunities: ReorderOpportunity[];
}

/** Statements that may not be part of any group (karac's seed/member disqualifiers). */
function disqualified(f: StmtFacts, movedLater: boolean): boolean {
  return f.earlyExit || f.suspends || f.channelOp || f.movesCaptured || movedLater || f.explicitPar || f.spawnStmt;
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
  const stmts = fn.body.stmts;
  const facts = stmts.map((s, i) => collectFacts({ program, effects, fn }, s, i));
  const n = facts.length;

  // A value bound here and consumed by a later statement (or the tail) keeps its statement sequential.
  const laterMoves: Set<number>[] = [];
  const tailMoves = movedIn(fn.body.tail);
  let acc = new Set<number>(tailMoves);
  for (let i = n - 1; i >= 0; i--) {
    laterMoves[i] = acc;
    acc = new Set([...acc, ...facts[i].movedLocals]);
  }
  const movedLater = facts.map((f, i) => f.letLocals.some((l) => laterMoves[i].has(l)));
  const dq = facts.map((f, i) => disqualified(f, movedLater[i]));

  const groups: ParallelGroup[] = [];
  const points: SerializationPoint[] = [];
  const pointKeys = new Set<string>();
  const assigned = new Set<number>();
  const notePoint = (a: StmtFacts, b: StmtFacts, c: Conflict): void => {
    const key = `${a.index},${b.index}`;
    if (pointKeys.has(key)) return;
    pointKeys.add(key);
    points.push({
      statements: [a.index, b.index],
      reason: c.reason,
      resource: c.resource,
      blocking_callees: blockingCallees(program, effects, a, b, c),
      serialized_by: c.serializedBy,
    });
  };

  for (let s = 0; s < n; s++) {
    if (assigned.has(s) || dq[s]) continue;
    const members = [facts[s]];
    for (let c = s + 1; c < n; c++) {
      if (dq[c]) break;
      let conflict: { with: StmtFacts; c: Conflict } | undefined;
      for (const m of members) {
        const k = statementsConflict(m, facts[c]);
        if (k) {
          conflict = { with: m, c: k };
          break;
        }
      }
      if (conflict) {
        notePoint(conflict.with, facts[c], conflict.c);
        break;
      }
      members.push(facts[c]);
    }
    if (members.length < 2) continue;
    // Self-recursion gate: forking at every level of a recursion costs far more than it gains.
    if (members.some((m) => m.selfCall)) continue;
    for (const m of members) assigned.add(m.index);
    groups.push(gate(members, groupReason(members), cost, autoPar));
  }

  return { fn, facts, groups, serializationPoints: points, reorderOpportunities: reorders(facts, dq, assigned) };
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

function reorders(facts: StmtFacts[], dq: boolean[], grouped: Set<number>): ReorderOpportunity[] {
  const out: ReorderOpportunity[] = [];
  const independent = (i: number, j: number): boolean => !statementsConflict(facts[Math.min(i, j)], facts[Math.max(i, j)]);
  const n = facts.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (dq[i] || dq[j]) continue;
      if (grouped.has(i) && grouped.has(j)) continue;
      if (!independent(i, j)) continue;
      const between = facts.slice(i + 1, j).map((f) => f.index);
      // Nothing moves across a statement that may leave the function.
      if (between.some((k) => facts[k].earlyExit)) continue;
      let movable: number | undefined;
      if (between.every((k) => independent(k, j))) movable = j;
      else if (between.every((k) => independent(i, k))) movable = i;
      if (movable === undefined) continue;
      const gap = between.length;
      const other = movable === j ? i : j;
      out.push({
        statements: [i, j],
        movable_statement: movable,
        reason: `statements ${i} and ${j} are independent but separated by ${gap} intervening statement${gap === 1 ? "" : "s"}; moving statement ${movable} adjacent to statement ${other} would let them parallelize`,
      });
    }
  }
  return out;
}
