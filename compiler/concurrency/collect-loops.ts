// Order-free collects: `#[par_order_free] for v in lo..hi { .. acc.push(x) .. }` where `acc` is a
// Vec declared outside the loop. The attribute is the author's promise that nothing but the pushes
// ties one iteration to the next; the analysis checks the rest (no other outer writes, no reads of
// `acc`, no early exits, output or resource effects), and collect-lowering.ts runs the loop as
// contiguous chunks that each push into a buffer of their own, appended to `acc` in chunk order —
// so the result is exactly the sequential one. A body with one unconditional push per iteration is
// a tabulate: every chunk knows its element count up front.
//
// Recognised loops are reported in `loop_reductions` (op `collect`, karac's fields), behind the
// cost gate reductions and disjoint writes share. An annotated loop that cannot be fanned out is
// reported in `declined_par_loops` with the first obligation it failed.

import type { EffectsResult } from "../effects/index.js";
import { effectsOfExpr } from "../effects/index.js";
import type { LocalId, TExpr, TFunction, TPlace, TProgram, TStmt, Type } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";
import type { CostModel } from "./cost.js";
import { hasInteriorMutability, isInert, placeRoot } from "./facts.js";
import { declaredInside, visitLoops } from "./loop-sites.js";
import { costGate, GATE_REASONS, type LoopReduction } from "./reductions.js";
import { OutputScan } from "./disjoint-writes.js";

/** The attribute that asks for an order-free fan-out. */
export const PAR_ORDER_FREE = "par_order_free";

/** One entry of `declined_par_loops`, karac's keys in karac's order. */
export interface DeclinedParLoop {
  statement: number;
  loop_line: number;
  annotated: string;
  fanned_out: boolean;
  reason: string;
}

/** Why an annotated loop does not fan out: the obligation that failed, first one wins. */
export const COLLECT_DECLINES = {
  loop_form: "only a `for` over an integer range `lo..hi` (no step, not reversed) is split into chunks",
  no_collect: "the body pushes into no vector declared outside the loop, and is not a reduction either",
  push_target: "a `push` goes into a field or element, not into a vector named by a local binding",
  several_accumulators: "the body pushes into more than one outer vector; the fan-out collects into one",
  reads_accumulator: "the body uses the collected vector other than by pushing to it, which would see partial results",
  other_outer_write: "the body writes a binding declared outside the loop other than by the collecting `push`",
  shares_outer_mut_borrow: "the body passes an outer binding to a callee by `mut ref`, which changes it out of sight",
  early_exit: "the body can leave the loop early (`return`, `?`, a `break` of the loop or a jump to an outer loop)",
  opaque_body_construct: "the body holds a closure, `par`, `lock`, `defer`, `seq` or a call through a function value",
  not_cross_task_safe: "the body touches an outer value with shared interior state (a counted handle, atomic, mutex, channel or task)",
  body_emits_output: "the body prints (directly or through a callee), and chunks run without output capture",
  body_has_effects: "the body performs resource effects, which chunks would perform out of order",
} as const;

export type CollectDecline = keyof typeof COLLECT_DECLINES;

export interface FoundCollect {
  loop: TExpr & { kind: "for" };
  /** The outer Vec the loop pushes into. */
  acc: LocalId;
  /** Its type (Vec[T]) and element type. */
  vecType: Type;
  elem: Type;
  /** Exactly one unconditional push per iteration. */
  tabulate: boolean;
  report: LoopReduction;
}

export interface DeclinedCollect {
  loop: TExpr & { kind: "for" | "while" | "loop" };
  tag: CollectDecline;
  report: DeclinedParLoop;
}

class Decline extends Error {
  constructor(readonly tag: CollectDecline) {
    super(tag);
  }
}

/** `#[par_order_free]`, or its former spelling `#[par_unordered]` (same meaning, as in karac), without arguments. */
export function isOrderFree(loop: TExpr & { kind: "for" | "while" | "loop" }): boolean {
  return !!loop.attrs?.some((a) => (a.name === PAR_ORDER_FREE || a.name === "par_unordered") && a.args.length === 0);
}

const isPush = (x: TExpr): x is TExpr & { kind: "builtin" } => x.kind === "builtin" && x.op === "vec.push" && x.receiver?.kind === "place";

/** The shape proof of one annotated loop: the accumulator, or a Decline. */
function shapeOf(program: TProgram, effects: EffectsResult, fn: TFunction, loop: TExpr & { kind: "for" }, output: OutputScan): { acc: LocalId; vecType: Type; elem: Type; tabulate: boolean } {
  const it = loop.iter;
  if (it.kind !== "range" || it.elem.kind !== "int" || it.reverse || it.step || (it.variable.kind !== "bind" && it.variable.kind !== "wild")) throw new Decline("loop_form");
  const body = loop.body;
  const inner = declaredInside(body);
  if (it.variable.kind === "bind") inner.add(it.variable.local);
  const outer = (p: TPlace): LocalId | undefined => {
    const r = placeRoot(p);
    return r.local !== undefined && !inner.has(r.local) ? r.local : undefined;
  };

  // Pushes into outer vectors; their receiver places are the one sanctioned write.
  const pushes: (TExpr & { kind: "builtin" })[] = [];
  const accs = new Set<LocalId>();
  walkExpr(body as TExpr, {
    expr: (x) => {
      if (!isPush(x) || x.receiver?.kind !== "place") return;
      const root = outer(x.receiver.place);
      if (root === undefined) return;
      const t = x.receiver.place.type;
      if (x.receiver.place.kind !== "local" || t.kind !== "vec" || t.deque) throw new Decline("push_target");
      pushes.push(x);
      accs.add(root);
    },
  });
  if (accs.size === 0) throw new Decline("no_collect");
  if (accs.size > 1) throw new Decline("several_accumulators");
  const acc = [...accs][0];
  const receivers = new Set<TPlace>(pushes.map((p) => (p.receiver as { place: TPlace }).place));

  // Everything else the chunks must not depend on, in a fixed order of obligations.
  const loopIds = new Set<number>([loop.loopId]);
  walkExpr(body as TExpr, {
    expr: (x) => {
      if (x.kind === "for" || x.kind === "while" || x.kind === "loop") loopIds.add(x.loopId);
      if (x.kind === "block" && x.labelId !== undefined) loopIds.add(x.labelId);
    },
  });
  let readsAcc = false;
  let otherWrite = false;
  let mutBorrow = false;
  let early = false;
  let opaque = false;
  let sharedState = false;
  let continues = false;
  walkExpr(body as TExpr, {
    expr: (x) => {
      if (x.kind === "move" && x.local === acc) readsAcc = true;
      if (x.kind === "return" || x.kind === "try") early = true;
      if (x.kind === "break" && (x.target === loop.loopId || !loopIds.has(x.target))) early = true;
      if (x.kind === "continue") {
        if (x.target === loop.loopId) continues = true;
        else if (!loopIds.has(x.target)) early = true;
      }
      if (x.kind === "closure" || x.kind === "par" || x.kind === "lock" || x.kind === "callValue" || x.kind === "defer") opaque = true;
      if (x.kind === "block" && x.seq) opaque = true;
    },
    place: (p, access) => {
      const root = placeRoot(p);
      if (root.global !== undefined && access !== "read") otherWrite = true;
      if (root.local === undefined || inner.has(root.local)) return;
      if (root.local === acc) {
        if (!receivers.has(p)) readsAcc = true;
        return;
      }
      if (access === "mutref") mutBorrow = true;
      else if (access !== "read") otherWrite = true;
      if (hasInteriorMutability(program, fn.locals[root.local].type)) sharedState = true;
    },
    stmt: (s) => {
      if (s.kind === "assign" || s.kind === "compoundAssign") {
        const root = placeRoot(s.place);
        if (root.global !== undefined || (root.local !== undefined && !inner.has(root.local))) otherWrite = true;
      }
    },
  });
  if (readsAcc) throw new Decline("reads_accumulator");
  if (otherWrite) throw new Decline("other_outer_write");
  if (mutBorrow) throw new Decline("shares_outer_mut_borrow");
  if (early) throw new Decline("early_exit");
  if (opaque) throw new Decline("opaque_body_construct");
  if (sharedState) throw new Decline("not_cross_task_safe");
  if (output.expr(body as TExpr)) throw new Decline("body_emits_output");
  const atoms = effectsOfExpr(program, effects, body as TExpr);
  const transparent = new Set(program.verbs.filter((v) => v.transparent).map((v) => v.name));
  if (atoms.some((a) => (!isInert(a) && !transparent.has(a.verb)) || a.verb === "blocks" || a.verb === "suspends")) throw new Decline("body_has_effects");

  // Tabulate: the only push is a statement of the body itself (not under an `if`, a `match` or an
  // inner loop) and no `continue` can skip it, so iteration v yields exactly element v - lo.
  const topLevel = [...body.stmts.map((s) => (s.kind === "expr" ? s.expr : undefined)), body.tail];
  const tabulate = pushes.length === 1 && !continues && topLevel.includes(pushes[0]);
  const vecType = (pushes[0].receiver as { place: TPlace }).place.type;
  const elem = (vecType as Type & { kind: "vec" }).elem;
  return { acc, vecType, elem, tabulate };
}

export interface CollectAnalysis {
  collects: FoundCollect[];
  declined: DeclinedCollect[];
}

export function findCollectLoops(program: TProgram, effects: EffectsResult, fn: TFunction, autoPar: boolean, cost: CostModel): CollectAnalysis {
  const collects: FoundCollect[] = [];
  const declined: DeclinedCollect[] = [];
  const output = new OutputScan(program);
  const decline = (loop: TExpr & { kind: "for" | "while" | "loop" }, statement: number, tag: CollectDecline): void => {
    declined.push({ loop, tag, report: { statement, loop_line: loop.span.line, annotated: PAR_ORDER_FREE, fanned_out: false, reason: COLLECT_DECLINES[tag] } });
  };
  visitLoops(fn, {
    forLoop: (loop, statement) => {
      if (!isOrderFree(loop)) return false;
      try {
        const shape = shapeOf(program, effects, fn, loop, output);
        const gate = autoPar ? costGate(fn, loop, cost) : "declined_auto_par_disabled";
        collects.push({
          loop,
          ...shape,
          report: {
            statement,
            loop_line: loop.span.line,
            accumulator: fn.locals[shape.acc].name,
            op: "collect",
            lowering: "sequential",
            collect_tabulate: shape.tabulate,
            fanned_out: false,
            cost_gate: gate,
            reason: GATE_REASONS[gate],
          },
        });
        // A recognised loop's inner loops run inside its chunks.
        return true;
      } catch (err) {
        if (!(err instanceof Decline)) throw err;
        decline(loop, statement, err.tag);
        return false;
      }
    },
    otherLoop: (loop, statement) => {
      if (isOrderFree(loop)) decline(loop, statement, "loop_form");
    },
  });
  return { collects, declined };
}
