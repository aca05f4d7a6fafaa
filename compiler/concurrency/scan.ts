// The statement scan of one body: which statements are disqualified, the greedy contiguous groups
// (before the cost gate), the serialization points that ended them, and the advisory reorder
// opportunities. Everything is found through the conflict indexes of conflict-index.ts, so the
// scan takes time linear in the size of the statements' footprints (plus the size of its output),
// never a comparison of every statement with every other.

import type { LocalId } from "../tir/nodes.js";
import { ConflictWindow, KeyTable, footprint, nearestConflicts } from "./conflict-index.js";
import { statementsConflict, type Conflict } from "./conflicts.js";
import type { StmtFacts } from "./facts.js";

export interface ScanPoint {
  statements: [number, number];
  conflict: Conflict;
}

export interface ReorderOpportunity {
  statements: [number, number];
  movable_statement: number;
  reason: string;
}

export interface StatementScan {
  /** Statements that may not be part of any group. */
  disqualified: boolean[];
  /** Greedy groups of two or more contiguous statements, in body order. */
  groups: number[][];
  /** Each (first conflicting member, statement that ended the group) pair, once, in discovery order. */
  points: ScanPoint[];
  /** The first `reorderLimit` reorder opportunities, by first and then second statement. */
  reorders: ReorderOpportunity[];
}

/** Statements that may not be part of any group (karac's seed/member disqualifiers). */
function disqualified(f: StmtFacts, movedLater: boolean): boolean {
  return f.earlyExit || f.suspends || f.channelOp || f.movesCaptured || movedLater || f.explicitPar || f.spawnStmt;
}

/** The exact rule's verdict for a pair the index found conflicting (it always has one). */
function conflictOf(facts: StmtFacts[], a: number, b: number): Conflict {
  const c = statementsConflict(facts[a], facts[b]);
  if (!c) throw new Error(`conflict index disagrees with the conflict rule on statements ${a} and ${b}`);
  return c;
}

/**
 * Most reorder opportunities listed per function: the advisory pairs of a long body of mostly
 * independent statements grow with the square of its length, so the report keeps their first ones.
 */
export const MAX_REORDER_OPPORTUNITIES = 1000;

/** `tailMoves`: locals the body's trailing expression moves. */
export function scanStatements(facts: StmtFacts[], tailMoves: Set<LocalId>, reorderLimit = MAX_REORDER_OPPORTUNITIES): StatementScan {
  const n = facts.length;

  // A value bound here and consumed by a later statement (or the tail) keeps its statement
  // sequential: the last statement that moves each local decides.
  const lastMove = new Map<LocalId, number>();
  for (const l of tailMoves) lastMove.set(l, n);
  for (let i = 0; i < n; i++) for (const l of facts[i].movedLocals) if (!((lastMove.get(l) ?? -1) > i)) lastMove.set(l, i);
  const dq = facts.map((f, i) => disqualified(f, f.letLocals.some((l) => (lastMove.get(l) ?? -1) > i)));

  const keys = new KeyTable();
  const prints = facts.map((f) => footprint(f, keys));
  const groups: number[][] = [];
  const points: ScanPoint[] = [];
  const assigned = new Uint8Array(n);
  const selfCallsBefore = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) selfCallsBefore[i + 1] = selfCallsBefore[i] + (facts[i].selfCall ? 1 : 0);

  // Greedy grouping: a seed takes the following statements while none conflicts with a member.
  // The window holds the current members; a seed whose group is dropped (self-recursion) is
  // followed by the next statement as seed, whose members are the same run minus its first, so
  // the window only shifts instead of being rebuilt.
  const win = new ConflictWindow(prints, keys.count);
  for (let s = 0; s < n; s++) {
    if (assigned[s] || dq[s]) continue;
    if (s >= win.start && s < win.end) while (win.start < s) win.shift();
    else {
      win.reset(s);
      win.push();
    }
    for (let c = win.end; c < n; c++) {
      if (dq[c]) break;
      const m = win.firstConflict(c);
      if (m !== undefined) {
        // Seeds meet their ends in order of (end, member), so a pair met again is the last one met.
        const last = points[points.length - 1];
        if (!last || last.statements[0] !== m || last.statements[1] !== c) points.push({ statements: [m, c], conflict: conflictOf(facts, m, c) });
        break;
      }
      win.push();
    }
    if (win.end - win.start < 2) continue;
    // Self-recursion gate: forking at every level of a recursion costs far more than it gains.
    if (selfCallsBefore[win.end] > selfCallsBefore[win.start]) continue;
    const members: number[] = [];
    for (let i = win.start; i < win.end; i++) {
      members.push(i);
      assigned[i] = 1;
    }
    groups.push(members);
  }

  return { disqualified: dq, groups, points, reorders: reorders(facts, dq, assigned, nearestConflicts(prints, keys.count), reorderLimit) };
}

/**
 * Pairs (i, j), j ≥ i + 2, of statements that could join if one moved next to the other: both
 * qualified, not both already grouped, independent, no early exit between them, and either every
 * statement between is independent of j (j moves left) or of i (i moves right). Listed by i, then
 * j, and at most `limit` of them (the list can grow with the square of the body's length).
 *
 * With before[j] the latest statement j conflicts with and after[i] the earliest one i conflicts
 * with, "j can move to i" is before[j] < i and "i can move to j" is after[i] > j; either implies
 * that i and j are independent. So for each i, every candidate j below after[i] is a pair, and
 * beyond it exactly the j with before[j] < i, which a minimum tree over `before` finds one by one.
 */
function reorders(
  facts: StmtFacts[],
  dq: boolean[],
  grouped: Uint8Array,
  near: { before: Int32Array; after: Int32Array },
  limit: number,
): ReorderOpportunity[] {
  const n = facts.length;
  const { before, after } = near;
  // Next qualified statement at or after each position, among all and among the ungrouped ones
  // (a grouped statement pairs only with an ungrouped one).
  const nextAny = new Int32Array(n + 1).fill(n);
  const nextFree = new Int32Array(n + 1).fill(n);
  for (let k = n - 1; k >= 0; k--) {
    nextAny[k] = dq[k] ? nextAny[k + 1] : k;
    nextFree[k] = dq[k] || grouped[k] ? nextFree[k + 1] : k;
  }
  // Nothing moves across a statement that may leave the function.
  const nextExit = new Int32Array(n);
  let exit = n;
  for (let k = n - 1; k >= 0; k--) {
    nextExit[k] = exit;
    if (facts[k].earlyExit) exit = k;
  }
  const anyTree = new MinTree(Array.from(before, (b, j) => (dq[j] ? n : b)));
  const freeTree = new MinTree(Array.from(before, (b, j) => (dq[j] || grouped[j] ? n : b)));

  const out: ReorderOpportunity[] = [];
  const add = (i: number, j: number): void => {
    const movable = before[j] < i ? j : i;
    const gap = j - i - 1;
    const other = movable === j ? i : j;
    out.push({
      statements: [i, j],
      movable_statement: movable,
      reason: `statements ${i} and ${j} are independent but separated by ${gap} intervening statement${gap === 1 ? "" : "s"}; moving statement ${movable} adjacent to statement ${other} would let them parallelize`,
    });
  };
  for (let i = 0; i < n && out.length < limit; i++) {
    if (dq[i]) continue;
    const next = grouped[i] ? nextFree : nextAny;
    const tree = grouped[i] ? freeTree : anyTree;
    const end = nextExit[i];
    const free = Math.min(after[i], end);
    for (let j = next[Math.min(i + 2, n)]; j < free && out.length < limit; j = next[j + 1]) add(i, j);
    for (let j = tree.firstBelow(Math.max(free, i + 2), end, i); j >= 0 && out.length < limit; j = tree.firstBelow(j + 1, end, i)) add(i, j);
  }
  return out;
}

/** A minimum segment tree over fixed values, searched for the first position below a bound. */
class MinTree {
  private readonly size: number;
  private readonly min: Int32Array;

  constructor(values: number[]) {
    let size = 1;
    while (size < values.length) size *= 2;
    this.size = size;
    this.min = new Int32Array(2 * size).fill(2 ** 31 - 1);
    values.forEach((v, k) => (this.min[size + k] = v));
    for (let k = size - 1; k >= 1; k--) this.min[k] = Math.min(this.min[2 * k], this.min[2 * k + 1]);
  }

  /** The first position in [lo, hi) whose value is below `bound`, or -1. */
  firstBelow(lo: number, hi: number, bound: number, node = 1, from = 0, to = this.size): number {
    if (to <= lo || hi <= from || this.min[node] >= bound) return -1;
    if (to - from === 1) return from;
    const mid = (from + to) >> 1;
    const left = this.firstBelow(lo, hi, bound, 2 * node, from, mid);
    return left >= 0 ? left : this.firstBelow(lo, hi, bound, 2 * node + 1, mid, to);
  }
}
