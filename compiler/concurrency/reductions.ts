// Loop reductions: `for v in lo..hi` loops whose only loop-carried write is one integer
// accumulator declared outside the loop, combined with + * | & ^ or min/max. Each is run through
// karac's fan-out cost gate and reported; reduce-lowering.ts rewrites the ones that pass.

import type { EffectsResult } from "../effects/index.js";
import { effectsOfExpr } from "../effects/index.js";
import type { BinOp, LocalId, TBlock, TExpr, TFunction, TPlace, TProgram, TStmt } from "../tir/nodes.js";
import { CostModel, UNKNOWN_COST } from "./cost.js";
import { isInert, placeRoot } from "./facts.js";
import { declaredInside, visitLoops } from "./loop-sites.js";
import { routesOutput } from "./routed-output.js";
import { walkExpr, walkStmt } from "../tir/walk.js";

export interface LoopReduction {
  statement: number;
  loop_line: number;
  accumulator: string;
  op: string;
  lowering: "parallel_fanout" | "sequential_tabulate" | "sequential";
  collect_tabulate: boolean;
  fanned_out: boolean;
  cost_gate: string;
  reason: string;
}

/** Units: ≈ 1 ns. Below this much total work a fan-out costs more than it saves. */
const MIN_FANOUT_WORK = 80_000;
/** Per-iteration cost under which a loop that indexes memory is bandwidth-bound. */
const MEMORY_BOUND_ITER_COST = 64;

const REDUCE_OPS = new Set<BinOp>(["+", "*", "|", "&", "^"]);

export const GATE_REASONS: Record<string, string> = {
  fanout: "eligible for fan-out, but the loop's shape is not one the fan-out lowering handles; runs sequentially",
  declined_memory_bound: "memory-bound body: too little work per iteration to outrun memory bandwidth",
  declined_below_cost_threshold: "total work below the dispatch threshold",
  declined_variable_k_param_bound: "trip count depends on a parameter and the body is too cheap to gamble on",
  declined_non_integer_accumulator: "non-integer accumulator: reassociation would change the result",
  declined_unshapeable_loop: "body performs output, effects, early exits or other outer writes",
  declined_auto_par_disabled: "automatic parallelisation is off",
};

interface Update {
  local: LocalId;
  op: string;
  /** The statement, for + * | & ^ updates: combining partials repeats it (same operation, same panic site). */
  site?: TStmt;
}

const isLocalRead = (e: TExpr, local: LocalId): boolean => {
  let x = e;
  while (x.kind === "coerce" || x.kind === "copy") x = x.value;
  return x.kind === "read" && x.place.kind === "local" && x.place.local === local;
};

function mentions(e: TExpr, local: LocalId): boolean {
  let found = false;
  walkExpr(e, {
    place: (p) => {
      if (p.kind === "local" && p.local === local) found = true;
    },
  });
  return found;
}

/** The accumulator update a statement performs, if it is one of the reduction shapes. */
function updateOf(s: TStmt): Update | undefined {
  if (s.kind === "compoundAssign" && s.place.kind === "local" && REDUCE_OPS.has(s.op) && !mentions(s.value, s.place.local)) return { local: s.place.local, op: s.op, site: s };
  if (s.kind === "assign" && s.place.kind === "local") {
    const acc = s.place.local;
    const v = s.value;
    if (v.kind === "binary" && REDUCE_OPS.has(v.op)) {
      if (isLocalRead(v.left, acc) && !mentions(v.right, acc)) return { local: acc, op: v.op, site: s };
      if (isLocalRead(v.right, acc) && !mentions(v.left, acc)) return { local: acc, op: v.op, site: s };
    }
    if (v.kind === "builtin" && (v.op === "min" || v.op === "max") && v.args.some((a) => isLocalRead(a, acc))) return { local: acc, op: v.op };
    if (v.kind === "builtin" && (v.op === "int.min" || v.op === "int.max") && v.receiver?.kind === "value" && isLocalRead(v.receiver.value, acc)) {
      return { local: acc, op: v.op === "int.min" ? "min" : "max" };
    }
  }
  if (s.kind === "expr" && s.expr.kind === "if" && !s.expr.else) {
    // if x < m { m = x }  (min)   /   if x > m { m = x }  (max)
    const c = s.expr.cond;
    const body = s.expr.then;
    if (c.kind !== "binary" || body.stmts.length !== 1 || body.tail) return undefined;
    const a = body.stmts[0];
    if (a.kind !== "assign" || a.place.kind !== "local") return undefined;
    const m = a.place.local;
    const sameExpr = (x: TExpr, y: TExpr): boolean => JSON.stringify(x, big) === JSON.stringify(y, big);
    if (isLocalRead(c.right, m) && sameExpr(c.left, a.value)) {
      if (c.op === "<" || c.op === "<=") return { local: m, op: "min" };
      if (c.op === ">" || c.op === ">=") return { local: m, op: "max" };
    }
    if (isLocalRead(c.left, m) && sameExpr(c.right, a.value)) {
      if (c.op === ">" || c.op === ">=") return { local: m, op: "min" };
      if (c.op === "<" || c.op === "<=") return { local: m, op: "max" };
    }
  }
  return undefined;
}

/** Structural identity of two expressions, spans aside. */
const big = (k: string, v: unknown): unknown => (k === "span" ? undefined : typeof v === "bigint" ? v.toString() : v);

interface Shape {
  acc: LocalId;
  op: string;
  clean: boolean;
  site?: TStmt;
}

/** The reduction shape of a `for` body: exactly one outer accumulator, plus whether the rest is clean. */
function shapeOf(program: TProgram, effects: EffectsResult, body: TBlock, loopVar: Set<LocalId>): Shape | undefined {
  const inner = declaredInside(body);
  for (const l of loopVar) inner.add(l);
  const updates: Update[] = [];
  let clean = true;
  const outerWrites = new Set<LocalId>();
  // Outer locals read outside the updates: reading the accumulator there sees partial sums.
  const otherReads = new Set<LocalId>();
  const writeRoot = (p: TPlace): void => {
    const r = placeRoot(p);
    if (r.global !== undefined) clean = false;
    if (r.local !== undefined && !inner.has(r.local)) outerWrites.add(r.local);
  };
  const visitStmts = (stmts: TStmt[]): void => {
    for (const s of stmts) {
      const u = updateOf(s);
      if (u && !inner.has(u.local)) {
        updates.push(u);
        continue;
      }
      walkStmt(s, {
        stmt: (x) => {
          if (x.kind === "assign" || x.kind === "compoundAssign") writeRoot(x.place);
        },
        place: (p) => {
          if (p.kind === "local" && !inner.has(p.local)) otherReads.add(p.local);
        },
        expr: (e) => {
          if (e.kind === "return" || e.kind === "try" || e.kind === "break" || e.kind === "callValue" || e.kind === "par" || e.kind === "lock") clean = false;
          if (e.kind === "builtin" && (e.op === "print" || e.op === "println" || e.op === "eprintln" || e.op === "dbg")) clean = false;
          // Output routed through a Stdout / Stderr provider, here or in a callee, is not captured per chunk.
          if ((e.kind === "providerCall" && e.output) || (e.kind === "call" && routesOutput(program, e.fn))) clean = false;
          if (e.kind === "builtin" && e.receiver?.kind === "place" && !e.op.startsWith("atomic.")) writeRoot(e.receiver.place);
          if (e.kind === "call") for (const a of e.args) if (a.mode === "mutref") writeRoot(a.place);
        },
      });
    }
  };
  visitStmts(body.stmts);
  if (body.tail) visitStmts([{ kind: "expr", expr: body.tail, span: body.tail.span }]);
  if (updates.length === 0) return undefined;
  const acc = updates[0].local;
  if (updates.some((u) => u.local !== acc || u.op !== updates[0].op)) return undefined;
  if (outerWrites.size > 0 || otherReads.has(acc)) clean = false;
  const atoms = effectsOfExpr(program, effects, body as TExpr);
  const transparent = new Set(program.verbs.filter((v) => v.transparent).map((v) => v.name));
  if (atoms.some((a) => !isInert(a) && !transparent.has(a.verb)) || atoms.some((a) => a.verb === "blocks" || a.verb === "suspends")) clean = false;
  return { acc, op: updates[0].op, clean, site: updates.find((u) => u.site)?.site };
}

function readsIndexed(body: TBlock): boolean {
  let found = false;
  walkExpr(body as TExpr, {
    place: (p) => {
      if (p.kind === "index") found = true;
    },
  });
  return found;
}

function mentionsParam(fn: TFunction, e: TExpr): boolean {
  const params = new Set(fn.params.map((p) => p.local));
  let found = false;
  walkExpr(e, {
    place: (p) => {
      if (p.kind === "local" && params.has(p.local)) found = true;
    },
  });
  return found;
}

function constInt(e: TExpr): bigint | undefined {
  let x = e;
  while (x.kind === "coerce") x = x.value;
  return x.kind === "int" ? x.value : undefined;
}

/**
 * karac's fan-out cost gate for a loop whose shape already qualifies (reductions and disjoint
 * writes share it): "fanout", or the name of the gate that declined.
 */
export function costGate(fn: TFunction, e: TExpr & { kind: "for" }, cost: CostModel): string {
  const it = e.iter;
  if (it.kind !== "range") return "declined_unshapeable_loop";
  const perIter = cost.expr(e.body as TExpr) + 2;
  const lo = constInt(it.lo);
  const hi = constInt(it.hi);
  if (perIter < MEMORY_BOUND_ITER_COST && readsIndexed(e.body)) return "declined_memory_bound";
  if (lo !== undefined && hi !== undefined && !it.step) {
    const trips = Number(hi - lo) + (it.inclusive ? 1 : 0);
    return perIter !== UNKNOWN_COST && trips * perIter < MIN_FANOUT_WORK ? "declined_below_cost_threshold" : "fanout";
  }
  if (perIter < 64 && (mentionsParam(fn, it.lo) || mentionsParam(fn, it.hi))) return "declined_variable_k_param_bound";
  return "fanout";
}

/** A reduction found in a body, with the loop node itself for the rewrite. */
export interface FoundReduction {
  report: LoopReduction;
  loop: TExpr & { kind: "for" };
  acc: LocalId;
  /** An arithmetic update statement of the accumulator (absent for min/max). */
  site?: TStmt;
}

export function findReductions(program: TProgram, effects: EffectsResult, fn: TFunction, autoPar: boolean, cost = new CostModel(program)): FoundReduction[] {
  const out: FoundReduction[] = [];
  const visitLoop = (e: TExpr & { kind: "for" }, statement: number): void => {
    const it = e.iter;
    if (it.kind !== "range") return;
    const loopVar = new Set<LocalId>();
    if (it.variable.kind === "bind") loopVar.add(it.variable.local);
    const shape = shapeOf(program, effects, e.body, loopVar);
    if (!shape) return;
    const accLocal = fn.locals[shape.acc];
    let gate: string;
    if (accLocal.type.kind !== "int") gate = "declined_non_integer_accumulator";
    else if (!shape.clean) gate = "declined_unshapeable_loop";
    else if (!autoPar) gate = "declined_auto_par_disabled";
    else gate = costGate(fn, e, cost);
    out.push({
      report: {
        statement,
        loop_line: e.span.line,
        accumulator: accLocal.name,
        op: shape.op,
        lowering: "sequential",
        collect_tabulate: false,
        fanned_out: false,
        cost_gate: gate,
        reason: GATE_REASONS[gate],
      },
      loop: e,
      acc: shape.acc,
      site: shape.site,
    });
  };
  // Once a loop is a reduction its inner loops are part of its body.
  visitLoops(fn, {
    forLoop: (e, statement) => {
      const before = out.length;
      visitLoop(e, statement);
      return out.length !== before;
    },
  });
  return out;
}
