// The indexed statement scan against a direct, all-pairs statement of the same rules, on many
// random statement sequences: groups, serialization points and reorder opportunities must be
// identical, entry for entry and in the same order.

import { describe, expect, it } from "vitest";
import type { EffectAtom } from "../effects/index.js";
import type { LocalId, TStmt } from "../tir/nodes.js";
import { statementsConflict, type Conflict } from "./conflicts.js";
import type { StmtFacts } from "./facts.js";
import { scanStatements, type ReorderOpportunity } from "./scan.js";

/** The rules as they read: every seed against every candidate and member, every pair for reorders. */
function reference(facts: StmtFacts[], tailMoves: Set<LocalId>) {
  const n = facts.length;
  const laterMoves: Set<number>[] = [];
  let acc = new Set<number>(tailMoves);
  for (let i = n - 1; i >= 0; i--) {
    laterMoves[i] = acc;
    acc = new Set([...acc, ...facts[i].movedLocals]);
  }
  const dq = facts.map(
    (f, i) =>
      f.earlyExit || f.suspends || f.channelOp || f.movesCaptured || f.letLocals.some((l) => laterMoves[i].has(l)) || f.explicitPar || f.spawnStmt,
  );
  const groups: number[][] = [];
  const points: { statements: [number, number]; conflict: Conflict }[] = [];
  const pointKeys = new Set<string>();
  const assigned = new Set<number>();
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
        const key = `${conflict.with.index},${c}`;
        if (!pointKeys.has(key)) {
          pointKeys.add(key);
          points.push({ statements: [conflict.with.index, c], conflict: conflict.c });
        }
        break;
      }
      members.push(facts[c]);
    }
    if (members.length < 2) continue;
    if (members.some((m) => m.selfCall)) continue;
    for (const m of members) assigned.add(m.index);
    groups.push(members.map((m) => m.index));
  }
  const reorders: ReorderOpportunity[] = [];
  const independent = (i: number, j: number): boolean => !statementsConflict(facts[Math.min(i, j)], facts[Math.max(i, j)]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (dq[i] || dq[j]) continue;
      if (assigned.has(i) && assigned.has(j)) continue;
      if (!independent(i, j)) continue;
      const between = facts.slice(i + 1, j).map((f) => f.index);
      if (between.some((k) => facts[k].earlyExit)) continue;
      let movable: number | undefined;
      if (between.every((k) => independent(k, j))) movable = j;
      else if (between.every((k) => independent(i, k))) movable = i;
      if (movable === undefined) continue;
      const gap = between.length;
      const other = movable === j ? i : j;
      reorders.push({
        statements: [i, j],
        movable_statement: movable,
        reason: `statements ${i} and ${j} are independent but separated by ${gap} intervening statement${gap === 1 ? "" : "s"}; moving statement ${movable} adjacent to statement ${other} would let them parallelize`,
      });
    }
  }
  return { disqualified: dq, groups, points, reorders };
}

/** Small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ["a", "b", "c", "d", "e", "v"];
const VERBS = ["reads", "writes", "sends", "receives", "audits", "traces"];
const RESOURCES = ["R", "S", undefined];
const KEYS = [undefined, undefined, "1", "2", "k", "_"];

function randomFacts(random: () => number, index: number, density: number): StmtFacts {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const chance = (p: number): boolean => random() < p;
  const names = (p: number): Set<string> => new Set(NAMES.filter(() => chance(p)));
  const effects: EffectAtom[] = [];
  const atoms = Math.floor(random() * 3 * density);
  for (let k = 0; k < atoms; k++) {
    const resource = pick(RESOURCES);
    const key = resource ? pick(KEYS) : undefined;
    effects.push({ verb: pick(VERBS), ...(resource ? { resource } : {}), ...(key !== undefined ? { key } : {}) });
  }
  const letLocals = chance(0.4) ? [Math.floor(random() * 6)] : [];
  const movedLocals = new Set<LocalId>(chance(0.15) ? [Math.floor(random() * 6)] : []);
  return {
    index,
    stmt: {} as TStmt,
    span: { offset: index, length: 1, line: index + 1, column: 1 },
    defines: names(0.12 * density),
    reads: names(0.2 * density),
    writtenLocals: new Set(),
    letLocals,
    movedLocals,
    effects,
    allEffects: effects,
    callees: [],
    polymorphic: chance(0.04),
    opaqueCall: chance(0.03),
    seq: chance(0.03),
    earlyExit: chance(0.04),
    channelOp: chance(0.02),
    suspends: chance(0.02),
    movesCaptured: chance(0.02),
    explicitPar: chance(0.02),
    spawnStmt: chance(0.02),
    selfCall: chance(0.05),
    uninitLet: false,
    writesOwnedOuter: false,
    constantInit: false,
  };
}

describe("indexed statement scan", () => {
  it("finds exactly the groups, points and reorders of the all-pairs rules on random bodies", () => {
    let groups = 0;
    let points = 0;
    let reorders = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const random = rng(seed);
      // Sparse bodies make long groups and many reorders; dense ones make many points.
      const density = [0.3, 1, 2][seed % 3];
      const n = Math.floor(random() * 40);
      const facts = Array.from({ length: n }, (_, i) => randomFacts(random, i, density));
      const tail = new Set<LocalId>(random() < 0.3 ? [Math.floor(random() * 6)] : []);
      const want = reference(facts, tail);
      const got = scanStatements(facts, tail);
      expect({ seed, ...got }).toEqual({ seed, ...want });
      // A limit keeps the first pairs of the same list.
      const limit = Math.floor(random() * 8);
      expect({ seed, limit, reorders: scanStatements(facts, tail, limit).reorders }).toEqual({ seed, limit, reorders: want.reorders.slice(0, limit) });
      groups += want.groups.length;
      points += want.points.length;
      reorders += want.reorders.length;
    }
    // The random bodies exercise every part of the scan.
    expect(groups).toBeGreaterThan(1000);
    expect(points).toBeGreaterThan(1000);
    expect(reorders).toBeGreaterThan(1000);
  });
});
