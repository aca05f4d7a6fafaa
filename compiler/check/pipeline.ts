// Iterator pipelines (F15.2) are lowered to plain loops here, so codegen only ever sees `for`,
// closure calls and builtins:
//
//   src.iter().map(f).filter(p).enumerate().take(n)  +  terminal (collect/sum/count/any/all/
//   fold/position/find/for_each)   or   the head of a `for` loop
//
// becomes `{ let $f = f; ...; let mut $acc = init; for $x in src { adaptors; step } $acc }`.
// Closures receive elements by value (a copy when the element owns memory).

import type { Block, Expr, Pattern, Span } from "../syntax/ast.js";
import { mk, ownMarker, type CheckContext } from "./context.js";
import { asType, tyOf, type LoopCtx } from "./builder.js";
import { Codes } from "./codes.js";
import type { LocalId, TBlock, TExpr, TForIter, TPattern, TStmt } from "../tir/nodes.js";
import { orderingTy } from "./builtin-methods/seq-algorithms.js";
import { isOrdered, requireEquatable } from "./trait-bounds.js";
import { chunkByRuns } from "./chunk-by.js";
import { BOOL, CHAR, ERROR, I64, NEVER, UNIT, freshVar, isError, isIntLike, isNumLike, resolve, show, unify, type Ty } from "./types.js";

const ADAPTORS = new Set([
  "map", "filter", "enumerate", "take", "skip",
  "rev", "zip", "chain", "flat_map", "flatten", "take_while", "skip_while", "step_by", "inspect", "filter_map",
  "peekable", "cycle", "scan", "chunk_by",
]);
export const TERMINALS = new Set([
  "collect", "sum", "product", "count", "any", "all", "fold", "position", "find", "for_each", "max", "min",
  "last", "nth", "min_by_key", "max_by_key", "min_by", "max_by", "reduce", "find_map", "partition",
]);
/** `v.windows(n)` / `v.chunks(n)` start a pipeline like `v.iter()` (they are Vec[Vec[T]] snapshots). */
const SEQ_SOURCES = new Set(["windows", "chunks"]);
/** `e` ends in an adaptor or an iterator source call (`v.iter()`, `s.chars()`, `x.map(f)`) or is a range literal. */
function isPipelineHead(e: Expr): boolean {
  if (e.kind === "range") return true;
  return e.kind === "methodCall" && (ADAPTORS.has(e.method.name) || ((e.method.name === "iter" || e.method.name === "into_iter" || e.method.name === "chars") && e.args.length === 0));
}

/** `s.split(sep)`, `s.split_whitespace()`, `s.lines()` on a String: Vec[String] snapshots that start a pipeline too. */
const STRING_SPLITS = new Set(["split", "split_whitespace", "lines"]);

/** `e` is `s.split(..)` / `s.split_whitespace()` / `s.lines()` on a String. */
export function isStringSplit(c: CheckContext, e: Expr): boolean {
  if (e.kind !== "methodCall" || !STRING_SPLITS.has(e.method.name)) return false;
  if (e.receiver.kind === "str" || e.receiver.kind === "fstr") return true;
  if (c.isTypeLike(e.receiver)) return false;
  const rt = c.probeType(e.receiver);
  return !!rt && resolve(rt).kind === "string";
}

type Step = { name: string; args: Expr[]; span: Span };


/** Split `src.iter().a().b()` into source and adaptor steps; undefined when it is not a pipeline. */
export function splitPipeline(c: CheckContext, e: Expr): { source: Expr; sourceKind: "iter" | "chars" | "range"; steps: Step[] } | undefined {
  const steps: Step[] = [];
  let cur = e;
  // `windows(n)` / `chunks(n)` after a pipeline step group the items so far (karac's Iterator has
  // both); on a plain sequence they are that sequence's own methods, a source below.
  while (cur.kind === "methodCall" && (ADAPTORS.has(cur.method.name) || (SEQ_SOURCES.has(cur.method.name) && isPipelineHead(cur.receiver)))) {
    steps.unshift({ name: cur.method.name, args: cur.args.map((a) => a.value), span: cur.span });
    cur = cur.receiver;
  }
  if (cur.kind === "range") return { source: cur, sourceKind: "range", steps };
  if (cur.kind === "methodCall" && cur.args.length === 0 && (cur.method.name === "iter" || cur.method.name === "into_iter" || cur.method.name === "chars")) {
    if (c.isTypeLike(cur.receiver)) return undefined;
    return { source: cur.receiver, sourceKind: cur.method.name === "chars" ? "chars" : "iter", steps };
  }
  if (cur.kind === "methodCall" && cur.args.length === 1 && SEQ_SOURCES.has(cur.method.name) && steps.length && !c.isTypeLike(cur.receiver)) {
    return { source: cur, sourceKind: "iter", steps };
  }
  if (steps.length && isStringSplit(c, cur)) return { source: cur, sourceKind: "iter", steps };
  // An iterator value (`it.map(f)`, `for x in it`) is a source of its own.
  if (!(cur.kind === "ident" && c.isTypeLike(cur)) && cur.kind !== "list") {
    const rt = c.probeType(cur);
    const r = rt ? resolve(rt) : undefined;
    if (r && r.kind === "vec" && r.iter) return { source: cur, sourceKind: "iter", steps };
    // A range value (`let r = 0..n; r.rev()`, a `Range[i64]` parameter) iterates its two bounds.
    if (r && r.kind === "range") return { source: cur, sourceKind: "range", steps };
  }
  // `m.keys()` / `m.values()` iterate their Vec snapshot: `m.keys().collect()`, `m.values().map(f)`.
  if (cur.kind === "methodCall" && cur.args.length === 0 && (cur.method.name === "keys" || cur.method.name === "values") && !c.isTypeLike(cur.receiver)) {
    const rt = c.probeType(cur.receiver);
    if (rt && resolve(rt).kind === "map") return { source: cur, sourceKind: "iter", steps };
  }
  return undefined;
}

interface Loop {
  pre: TStmt[]; // before the loop (closure values, counters)
  iter: TForIter;
  loopId: number;
  body: TStmt[]; // per-item statements produced by adaptors; the terminal appends
  /** A read of the current item after the adaptors: a fresh node on every access (the program is a tree). */
  readonly item: TExpr;
  /** The local holding the current item. */
  itemLocal: LocalId;
  itemTy: Ty;
  ctx: LoopCtx;
  drops: LocalId[]; // per-item locals of the body
}

export class PipelineLowering {
  constructor(private c: CheckContext) {}

  private get b() {
    return this.c.b;
  }

  private temp(name: string, ty: Ty, mut: boolean, span: Span): LocalId {
    const id = this.b.newLocal(name, ty, "temp", mut, "owned", span);
    this.b.declare(name, id);
    return id;
  }

  private read(id: LocalId, span: Span): TExpr {
    const ty = this.b.localTy(id);
    return mk({ kind: "read", place: { kind: "local", local: id, type: asType(ty), span } }, ty, span);
  }

  /** A by-value element for a closure argument: a copy when the element owns memory. */
  private byValue(id: LocalId, span: Span): TExpr {
    const r = this.read(id, span);
    return ownMarker(r, true, tyOf(r.type), span);
  }

  private letStmt(id: LocalId, init: TExpr, span: Span): TStmt {
    const pattern = { kind: "bind", local: id, type: asType(this.b.localTy(id)), span } as TPattern;
    return { kind: "let", pattern, init, span };
  }

  private assign(id: LocalId, value: TExpr, span: Span): TStmt {
    return { kind: "assign", place: { kind: "local", local: id, type: asType(this.b.localTy(id)), span }, value, span };
  }

  private block(stmts: TStmt[], tail: TExpr | undefined, ty: Ty, span: Span, drops: LocalId[] = []): TBlock {
    return { kind: "block", stmts, tail, drops, type: asType(ty), span };
  }

  private callClosure(fnLocal: LocalId, args: TExpr[], ret: Ty, span: Span): TExpr {
    return mk({ kind: "callValue", callee: this.read(fnLocal, span), args }, ret, span);
  }

  /** `if not cond { continue }` / `if cond { break }` */
  private jumpIf(cond: TExpr, negate: boolean, jump: "break" | "continue", loopId: number, span: Span): TStmt {
    const c = negate ? mk({ kind: "unary", op: "not", operand: cond }, BOOL, span) : cond;
    const j = jump === "break" ? mk({ kind: "break", target: loopId }, NEVER, span) : mk({ kind: "continue", target: loopId }, NEVER, span);
    const then = this.block([{ kind: "expr", expr: j, span }], undefined, NEVER, span);
    return { kind: "expr", expr: mk({ kind: "if", cond: c, then }, UNIT, span), span };
  }

  private closureArg(e: Expr, params: Ty[], ret: Ty): { id: LocalId; ty: Ty; ret: Ty } | undefined {
    const want: Ty = { kind: "fn", params, ret };
    const v = e.kind === "closure" ? this.c.checkClosure(e, want, "closure") : this.c.checkExpr(e, want);
    if (!unify(tyOf(v.type), want)) {
      if (!isError(tyOf(v.type))) this.c.err(Codes.Mismatch, `mismatched types: expected ${show(want)}, found ${show(tyOf(v.type))}`, e.span);
      return undefined;
    }
    const id = this.temp(`$f`, want, false, e.span);
    this.pending.push(this.letStmt(id, v, e.span));
    return { id, ty: want, ret };
  }

  private pending: TStmt[] = [];

  /** Build the loop skeleton: source iteration plus adaptors. Must run inside a pushed scope. */
  private build(p: NonNullable<ReturnType<typeof splitPipeline>>, span: Span, label?: string): Loop | undefined {
    const c = this.c;
    let ctx: LoopCtx = { id: this.b.newLoopId(), label, kind: "for", hasBreak: false };
    this.pending = [];
    // Source
    let iter: TForIter;
    let x: LocalId;
    let elem: Ty;
    if (p.sourceKind === "range" && p.source.kind !== "range") {
      // A range value is the pair of its bounds (check/types.ts zonk): bound once, walked lo to hi.
      let src = c.checkExpr(p.source);
      const rt = resolve(tyOf(src.type));
      if (rt.kind !== "range") return undefined;
      if (src.kind !== "read" || src.place.kind !== "local") {
        const tmp = this.temp("$range", rt, false, p.source.span);
        this.pending.push(this.letStmt(tmp, src, p.source.span));
        src = this.read(tmp, p.source.span);
      }
      const place = (src as TExpr & { kind: "read" }).place;
      const bound = (i: number): TExpr => mk({ kind: "read", place: { kind: "tupleField", base: { ...place }, index: i, type: asType(rt.elem), span: p.source.span } }, rt.elem, p.source.span);
      elem = rt.elem;
      x = this.b.newLocal("$x", elem, "let", false, "owned", p.source.span);
      const variable = { kind: "bind", local: x, type: asType(elem), span: p.source.span } as TPattern;
      iter = { kind: "range", variable, lo: bound(0), hi: bound(1), inclusive: rt.inclusive, elem: asType(elem), reverse: false };
    } else if (p.sourceKind === "range") {
      const r = p.source as Expr & { kind: "range" };
      if (!r.lo || !r.hi) {
        c.err(Codes.Unsupported, "open ranges cannot be iterated", r.span);
        return undefined;
      }
      const lo = c.checkExpr(r.lo);
      const hi = c.checkExpr(r.hi, tyOf(lo.type));
      if (!unify(tyOf(lo.type), tyOf(hi.type))) c.mixError(tyOf(lo.type), tyOf(hi.type), r.span);
      // A range of bare literals may still become any integer type, never a float: a float met
      // later in the pipeline is a mixed-type error rather than turning the bounds into floats.
      const bounds = resolve(tyOf(lo.type));
      if (bounds.kind === "var" && bounds.lit === "int") bounds.intOnly = true;
      elem = tyOf(lo.type);
      if (!isIntLike(elem) && !isError(elem)) c.err(Codes.BadOperand, `cannot iterate over a range of ${show(elem)}`, r.span);
      x = this.b.newLocal("$x", elem, "let", false, "owned", r.span);
      const variable = { kind: "bind", local: x, type: asType(elem), span: r.span } as TPattern;
      iter = { kind: "range", variable, lo, hi, inclusive: r.inclusive, elem: asType(elem), reverse: false };
    } else {
      let coll = c.checkExpr(p.source);
      // `m.iter()` / `s.iter()` on a Map or Set iterate a snapshot (entries as (k, v) tuples).
      const st = resolve(tyOf(coll.type));
      if (p.sourceKind === "iter" && (st.kind === "map" || st.kind === "set")) {
        const elemT: Ty = st.kind === "map" ? { kind: "tuple", elems: [st.key, st.value] } : st.elem;
        const typeArgs = st.kind === "map" ? [asType(st.key), asType(st.value)] : [asType(st.elem)];
        coll = mk({ kind: "builtin", op: st.kind === "map" ? "map.entries" : "set.to_vec", receiver: { kind: "value", value: coll }, args: [], typeArgs }, { kind: "vec", elem: elemT }, p.source.span);
      }
      // An iterator value keeps its items last first: the pipeline takes them in order from a copy.
      if (st.kind === "vec" && st.iter) {
        coll = mk({ kind: "builtin", op: "iter.to_vec", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(st.elem)] }, { kind: "vec", elem: st.elem }, p.source.span);
      }
      // A fresh source (`v.windows(2)`, `make()`) is bound to a temporary so it is freed after the loop.
      if (coll.kind !== "read" && coll.kind !== "string" && !isError(tyOf(coll.type))) {
        const src = this.temp("$src", tyOf(coll.type), false, p.source.span);
        this.pending.push(this.letStmt(src, coll, p.source.span));
        coll = this.read(src, p.source.span);
      }
      const ct = resolve(tyOf(coll.type));
      if (p.sourceKind === "chars") {
        if (ct.kind !== "string") {
          if (ct.kind !== "error") c.err(Codes.NoMethod, `no method named 'chars' found for ${show(ct)}`, p.source.span);
          return undefined;
        }
        elem = CHAR;
        x = this.b.newLocal("$x", elem, "let", false, "owned", p.source.span);
        iter = { kind: "chars", variable: { kind: "bind", local: x, type: asType(elem), span: p.source.span } as TPattern, string: coll };
      } else if (ct.kind === "vec" || ct.kind === "array" || ct.kind === "slice") {
        elem = ct.elem;
        x = this.b.newLocal("$x", elem, "let", false, "owned", p.source.span);
        iter = { kind: "seq", variable: { kind: "bind", local: x, type: asType(elem), span: p.source.span } as TPattern, coll, collKind: ct.kind, elem: asType(elem) };
      } else {
        if (ct.kind === "var") c.err(Codes.NeedsAnnotation, "type annotations needed: cannot tell what this pipeline iterates over", p.source.span);
        else if (ct.kind !== "error") c.err(Codes.NoMethod, `no method named 'iter' found for ${show(ct)}`, p.source.span);
        return undefined;
      }
    }
    let body: TStmt[] = [];
    // Per-item values bound in the loop body: freed at the end of each iteration unless moved on.
    // The loop variable of a sequence holds a copy of the element, so it is one of them.
    let drops: LocalId[] = [x];
    const itemLocalOf = (name: string, ty: Ty, kind: "let", mut: boolean, mode: "owned", sp: Span): LocalId => {
      const id = this.b.newLocal(name, ty, kind, mut, mode, sp);
      drops.push(id);
      return id;
    };
    let item = this.read(x, span);
    let itemTy = elem;
    let itemLocal = x;
    // Ends the loop built so far: it pushes each item (or, with `spread`, each element of the
    // item) into a fresh Vec, and a new loop over that Vec (backwards when `reverse`) continues.
    const materialize = (reverse: boolean, st: Step, spread = false, cycle = false, group?: { op: "vec.windows" | "vec.chunks"; n: TExpr } | { keyFn: LocalId; key: Ty }): boolean => {
      let elemTy = itemTy;
      const r = resolve(itemTy);
      if (spread) {
        if (r.kind !== "vec" && r.kind !== "array" && r.kind !== "slice") {
          if (r.kind !== "error") c.err(Codes.Mismatch, `${st.name} needs items that are sequences (Vec, Array or Slice), found ${show(r)}`, st.span);
          return false;
        }
        elemTy = r.elem;
      }
      const vt: Ty = { kind: "vec", elem: elemTy };
      const acc = this.temp("$m", vt, true, st.span);
      // Fresh place objects per use: later passes rename locals in place.
      const accPlace = () => ({ kind: "local", local: acc, type: asType(vt), span: st.span }) as const;
      const push = (v: TExpr): TStmt => ({
        kind: "expr",
        expr: mk({ kind: "builtin", op: "vec.push", receiver: { kind: "place", place: accPlace() }, args: [c.own(v)], typeArgs: [asType(elemTy)] }, UNIT, st.span),
        span: st.span,
      });
      if (spread) {
        const y = this.b.newLocal("$y", elemTy, "let", false, "owned", st.span);
        // An iterator value (`flat_map(|x| x.iter().map(g))`) holds its items last first.
        const items = r.kind === "vec" && r.iter ? mk({ kind: "builtin", op: "iter.to_vec", receiver: { kind: "value", value: this.read(itemLocal, st.span) }, args: [], typeArgs: [asType(elemTy)] }, { kind: "vec", elem: elemTy }, st.span) : this.read(itemLocal, st.span);
        const inner: TForIter = { kind: "seq", variable: { kind: "bind", local: y, type: asType(elemTy), span: st.span } as TPattern, coll: items, collKind: r.kind as "vec", elem: asType(elemTy) };
        body.push({ kind: "expr", expr: mk({ kind: "for", loopId: this.b.newLoopId(), iter: inner, body: this.block([push(this.read(y, st.span))], undefined, UNIT, st.span) }, UNIT, st.span), span: st.span });
      } else body.push(push(this.read(itemLocal, st.span)));
      const pre: TStmt[] = [this.letStmt(acc, mk({ kind: "builtin", op: "vec.new", args: [], typeArgs: [asType(elemTy)] }, vt, st.span), st.span)];
      pre.push({ kind: "expr", expr: mk({ kind: "for", loopId: ctx.id, iter, body: this.block(body, undefined, UNIT, st.span, drops) }, UNIT, st.span), span: st.span });
      drops = [];
      this.pending.push(...pre);
      ctx = { id: this.b.newLoopId(), label, kind: "for", hasBreak: false };
      body = [];
      if (cycle) {
        // for $j in 0..i64.MAX { if $m.len() == 0 { break } let $x = $m[$j % $m.len()]; .. }:
        // the items so far are replayed until a later step stops the loop (empty: no items).
        const i = this.b.newLocal("$j", I64, "let", false, "owned", st.span);
        const len = () => mk({ kind: "builtin", op: "vec.len", receiver: { kind: "value", value: this.read(acc, st.span) }, args: [], typeArgs: [asType(elemTy)] }, I64, st.span);
        const big = mk({ kind: "int", value: (1n << 63n) - 1n }, I64, st.span);
        iter = { kind: "range", variable: { kind: "bind", local: i, type: asType(I64), span: st.span } as TPattern, lo: mk({ kind: "int", value: 0n }, I64, st.span), hi: big, inclusive: false, elem: asType(I64), reverse: false };
        const empty = mk({ kind: "binary", op: "==", left: len(), right: mk({ kind: "int", value: 0n }, I64, st.span), operand: asType(I64) }, BOOL, st.span);
        body.push(this.jumpIf(empty, false, "break", ctx.id, st.span));
        x = itemLocalOf("$x", elemTy, "let", false, "owned", st.span);
        const idx = mk({ kind: "binary", op: "%", left: this.read(i, st.span), right: len(), operand: asType(I64) }, I64, st.span);
        const at = mk({ kind: "read", place: { kind: "index", base: accPlace(), index: idx, coll: "vec", type: asType(elemTy), span: st.span } }, elemTy, st.span);
        body.push(this.letStmt(x, c.own(at), st.span));
      } else if (group) {
        // The runs of the items so far (a Vec[Vec[T]] snapshot), one per iteration.
        let runs: TExpr;
        if ("op" in group) runs = mk({ kind: "builtin", op: group.op, receiver: { kind: "value", value: this.read(acc, st.span) }, args: [group.n], typeArgs: [asType(elemTy)] }, { kind: "vec", elem: vt }, st.span);
        else {
          const built = chunkByRuns(c, acc, elemTy, group.keyFn, group.key, st.span);
          this.pending.push(...built.stmts);
          runs = built.runs;
        }
        x = itemLocalOf("$x", vt, "let", false, "owned", st.span);
        iter = { kind: "seq", variable: { kind: "bind", local: x, type: asType(vt), span: st.span } as TPattern, coll: runs, collKind: "vec", elem: asType(vt) };
        elemTy = vt;
      } else if (!reverse) {
        x = itemLocalOf("$x", elemTy, "let", false, "owned", st.span);
        iter = { kind: "seq", variable: { kind: "bind", local: x, type: asType(elemTy), span: st.span } as TPattern, coll: this.read(acc, st.span), collKind: "vec", elem: asType(elemTy) };
      } else {
        const i = this.b.newLocal("$j", I64, "let", false, "owned", st.span);
        const len = mk({ kind: "builtin", op: "vec.len", receiver: { kind: "value", value: this.read(acc, st.span) }, args: [], typeArgs: [asType(elemTy)] }, I64, st.span);
        iter = { kind: "range", variable: { kind: "bind", local: i, type: asType(I64), span: st.span } as TPattern, lo: mk({ kind: "int", value: 0n }, I64, st.span), hi: len, inclusive: false, elem: asType(I64), reverse: true };
        x = itemLocalOf("$x", elemTy, "let", false, "owned", st.span);
        const at = mk({ kind: "read", place: { kind: "index", base: accPlace(), index: this.read(i, st.span), coll: "vec", type: asType(elemTy), span: st.span } }, elemTy, st.span);
        body.push(this.letStmt(x, c.own(at), st.span));
      }
      itemLocal = x;
      itemTy = elemTy;
      item = this.read(x, st.span);
      return true;
    };
    /** The other side of `zip` / `chain` as a Vec snapshot bound to a temporary. */
    const otherVec = (e: Expr, st: Step): { id: LocalId; elem: Ty } | undefined => {
      let v: TExpr;
      const sub = splitPipeline(c, e);
      if (sub) {
        const saved = this.pending;
        v = new PipelineLowering(c).lowerTerminal(sub, "collect", [], undefined, e.span);
        this.pending = saved;
      } else v = c.checkExpr(e);
      const r = resolve(tyOf(v.type));
      if (r.kind !== "vec" && r.kind !== "array" && r.kind !== "slice") {
        if (r.kind !== "error") c.err(Codes.Mismatch, `${st.name} needs an iterator or a sequence, found ${show(r)}`, e.span);
        return undefined;
      }
      const vt: Ty = { kind: "vec", elem: r.elem };
      const id = this.temp("$z", r.kind === "vec" ? vt : r, false, e.span);
      const init = sub ? v : ownMarker(v, true, tyOf(v.type), e.span);
      this.pending.push(this.letStmt(id, init, e.span));
      return { id, elem: r.elem };
    };
    const counter = (name: string, st: Step, init: TExpr): LocalId => {
      const id = this.temp(name, tyOf(init.type), true, st.span);
      this.pending.push(this.letStmt(id, init, st.span));
      return id;
    };
    const inc = (id: LocalId, st: Step): TStmt => ({ kind: "compoundAssign", op: "+", place: { kind: "local", local: id, type: asType(I64), span: st.span }, value: mk({ kind: "int", value: 1n }, I64, st.span), operand: asType(I64), span: st.span });
    for (const st of p.steps) {
      const need = (n: number): boolean => {
        if (st.args.length === n) return true;
        c.err(Codes.ArgCount, `${st.name} takes ${n} argument${n === 1 ? "" : "s"} but ${st.args.length} were supplied`, st.span);
        return false;
      };
      switch (st.name) {
        case "map": {
          if (!need(1)) return undefined;
          const f = this.closureArg(st.args[0], [itemTy], freshVar());
          if (!f) return undefined;
          const y = itemLocalOf("$y", f.ret, "let", false, "owned", st.span);
          body.push(this.letStmt(y, this.callClosure(f.id, [this.byValue(itemLocal, st.span)], f.ret, st.span), st.span));
          itemLocal = y;
          itemTy = f.ret;
          item = this.read(y, st.span);
          break;
        }
        case "filter": {
          if (!need(1)) return undefined;
          const f = this.closureArg(st.args[0], [itemTy], BOOL);
          if (!f) return undefined;
          body.push(this.jumpIf(this.callClosure(f.id, [this.byValue(itemLocal, st.span)], BOOL, st.span), true, "continue", ctx.id, st.span));
          break;
        }
        case "enumerate": {
          if (!need(0)) return undefined;
          const i = this.temp("$i", I64, true, st.span);
          this.pending.push(this.letStmt(i, mk({ kind: "int", value: 0n }, I64, st.span), st.span));
          const pairTy: Ty = { kind: "tuple", elems: [I64, itemTy] };
          const pair = itemLocalOf("$p", pairTy, "let", false, "owned", st.span);
          body.push(this.letStmt(pair, mk({ kind: "tuple", elems: [this.read(i, st.span), this.byValue(itemLocal, st.span)] }, pairTy, st.span), st.span));
          body.push({ kind: "compoundAssign", op: "+", place: { kind: "local", local: i, type: asType(I64), span: st.span }, value: mk({ kind: "int", value: 1n }, I64, st.span), operand: asType(I64), span: st.span });
          itemLocal = pair;
          itemTy = pairTy;
          item = this.read(pair, st.span);
          break;
        }
        case "rev": {
          if (!need(0)) return undefined;
          // A range walks backwards in place; anything else is collected first.
          if (iter.kind === "range" && body.length === 0 && !iter.step && !iter.reverse) {
            iter = { ...iter, reverse: true };
            break;
          }
          if (!materialize(true, st)) return undefined;
          break;
        }
        case "step_by": {
          if (!need(1)) return undefined;
          const n = c.expectArg(st.args[0], I64);
          if (iter.kind === "range" && body.length === 0 && !iter.step) {
            iter = { ...iter, step: n };
            break;
          }
          const lim = counter("$n", st, n);
          const cnt = counter("$k", st, mk({ kind: "int", value: 0n }, I64, st.span));
          // keep = $k % $n == 0; $k += 1; if not keep { continue }   ($n <= 0 panics on the `%`)
          const keep = this.b.newLocal("$keep", BOOL, "let", false, "owned", st.span);
          const rem = mk({ kind: "binary", op: "%", left: this.read(cnt, st.span), right: this.read(lim, st.span), operand: asType(I64) }, I64, st.span);
          body.push(this.letStmt(keep, mk({ kind: "binary", op: "==", left: rem, right: mk({ kind: "int", value: 0n }, I64, st.span), operand: asType(I64) }, BOOL, st.span), st.span));
          body.push(inc(cnt, st));
          body.push(this.jumpIf(this.read(keep, st.span), true, "continue", ctx.id, st.span));
          break;
        }
        case "take_while":
        case "skip_while": {
          if (!need(1)) return undefined;
          const f = this.closureArg(st.args[0], [itemTy], BOOL);
          if (!f) return undefined;
          const test = this.callClosure(f.id, [this.byValue(itemLocal, st.span)], BOOL, st.span);
          if (st.name === "take_while") {
            body.push(this.jumpIf(test, true, "break", ctx.id, st.span));
            break;
          }
          // if $skipping { if test { continue } $skipping = false }
          const sk = counter("$skipping", st, mk({ kind: "bool", value: true }, BOOL, st.span));
          const stop = this.assign(sk, mk({ kind: "bool", value: false }, BOOL, st.span), st.span);
          const then = this.block([this.jumpIf(test, false, "continue", ctx.id, st.span), stop], undefined, UNIT, st.span);
          body.push({ kind: "expr", expr: mk({ kind: "if", cond: this.read(sk, st.span), then }, UNIT, st.span), span: st.span });
          break;
        }
        case "inspect": {
          if (!need(1)) return undefined;
          const f = this.closureArg(st.args[0], [itemTy], UNIT);
          if (!f) return undefined;
          body.push({ kind: "expr", expr: this.callClosure(f.id, [this.byValue(itemLocal, st.span)], UNIT, st.span), span: st.span });
          break;
        }
        case "chunk_by": {
          if (!need(1)) return undefined;
          const key = freshVar();
          const f = this.closureArg(st.args[0], [itemTy], key);
          if (!f) return undefined;
          requireEquatable(c, key, "chunk_by", st.span);
          if (!materialize(false, st, false, false, { keyFn: f.id, key })) return undefined;
          break;
        }
        case "windows":
        case "chunks": {
          if (!need(1)) return undefined;
          const n = c.expectArg(st.args[0], I64);
          if (!materialize(false, st, false, false, { op: st.name === "windows" ? "vec.windows" : "vec.chunks", n })) return undefined;
          break;
        }
        case "scan": {
          // karac's form: `scan(init, |state, x| Some((next_state, out)))`; None ends the iteration.
          if (!need(2)) return undefined;
          const init = c.own(c.checkExpr(st.args[0]));
          const stateTy = tyOf(init.type);
          const state = counter("$state", st, init);
          const out = freshVar();
          const pairTy: Ty = { kind: "tuple", elems: [stateTy, out] };
          const optTy = c.optionOf(pairTy);
          const f = this.closureArg(st.args[1], [stateTy, itemTy], optTy);
          if (!f) return undefined;
          // let $o = f($state, x); if $o.is_none() { break } let $pr = $o.unwrap(); $state = $pr.0; let $y = $pr.1;
          const o = itemLocalOf("$o", optTy, "let", false, "owned", st.span);
          body.push(this.letStmt(o, this.callClosure(f.id, [this.byValue(state, st.span), this.byValue(itemLocal, st.span)], optTy, st.span), st.span));
          const isNone = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: this.read(o, st.span) }, args: [], typeArgs: [asType(optTy)] }, BOOL, st.span);
          body.push(this.jumpIf(isNone, false, "break", ctx.id, st.span));
          const pr = itemLocalOf("$pr", pairTy, "let", false, "owned", st.span);
          body.push(this.letStmt(pr, mk({ kind: "builtin", op: "option.unwrap", receiver: { kind: "value", value: this.read(o, st.span) }, args: [], typeArgs: [asType(optTy)] }, pairTy, st.span), st.span));
          const part = (i: number, t: Ty): TExpr => {
            const r = mk({ kind: "read", place: { kind: "tupleField", base: { kind: "local", local: pr, type: asType(pairTy), span: st.span }, index: i, type: asType(t), span: st.span } }, t, st.span);
            return ownMarker(r, true, t, st.span);
          };
          body.push(this.assign(state, part(0, stateTy), st.span));
          const y = itemLocalOf("$y", out, "let", false, "owned", st.span);
          body.push(this.letStmt(y, part(1, out), st.span));
          itemLocal = y;
          itemTy = out;
          item = this.read(y, st.span);
          break;
        }
        case "filter_map": {
          if (!need(1)) return undefined;
          const out = freshVar();
          const f = this.closureArg(st.args[0], [itemTy], c.optionOf(out));
          if (!f) return undefined;
          // let $o = f(x); if $o.is_none() { continue } let $y = $o.unwrap();
          const optTy = c.optionOf(out);
          const o = itemLocalOf("$o", optTy, "let", false, "owned", st.span);
          body.push(this.letStmt(o, this.callClosure(f.id, [this.byValue(itemLocal, st.span)], optTy, st.span), st.span));
          const isNone = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: this.read(o, st.span) }, args: [], typeArgs: [asType(optTy)] }, BOOL, st.span);
          body.push(this.jumpIf(isNone, false, "continue", ctx.id, st.span));
          const y = itemLocalOf("$y", out, "let", false, "owned", st.span);
          body.push(this.letStmt(y, mk({ kind: "builtin", op: "option.unwrap", receiver: { kind: "value", value: this.read(o, st.span) }, args: [], typeArgs: [asType(optTy)] }, out, st.span), st.span));
          itemLocal = y;
          itemTy = out;
          item = this.read(y, st.span);
          break;
        }
        case "zip": {
          if (!need(1)) return undefined;
          const other = otherVec(st.args[0], st);
          if (!other) return undefined;
          const zi = counter("$zi", st, mk({ kind: "int", value: 0n }, I64, st.span));
          const zt = tyOf(this.b.local(other.id).type);
          const zr = resolve(zt) as Ty & { kind: "vec" | "array" | "slice" };
          const len = mk({ kind: "builtin", op: `${zr.kind === "vec" ? "vec" : zr.kind}.len` as "vec.len", receiver: { kind: "value", value: this.read(other.id, st.span) }, args: [], typeArgs: [asType(other.elem)] }, I64, st.span);
          body.push(this.jumpIf(mk({ kind: "binary", op: ">=", left: this.read(zi, st.span), right: len, operand: asType(I64) }, BOOL, st.span), false, "break", ctx.id, st.span));
          const at = mk({ kind: "read", place: { kind: "index", base: { kind: "local", local: other.id, type: asType(zt), span: st.span }, index: this.read(zi, st.span), coll: zr.kind, type: asType(other.elem), span: st.span } }, other.elem, st.span);
          const pairTy: Ty = { kind: "tuple", elems: [itemTy, other.elem] };
          const pair = itemLocalOf("$p", pairTy, "let", false, "owned", st.span);
          body.push(this.letStmt(pair, mk({ kind: "tuple", elems: [this.byValue(itemLocal, st.span), c.own(at)] }, pairTy, st.span), st.span));
          body.push(inc(zi, st));
          itemLocal = pair;
          itemTy = pairTy;
          item = this.read(pair, st.span);
          break;
        }
        case "chain": {
          if (!need(1)) return undefined;
          const before = itemTy;
          if (!materialize(false, st)) return undefined;
          const other = otherVec(st.args[0], st);
          if (!other) return undefined;
          if (!unify(before, other.elem)) {
            c.err(Codes.Mismatch, `mismatched types: chain expects items of type ${show(before)}, found ${show(other.elem)}`, st.args[0].span);
            return undefined;
          }
          // The Vec being iterated is `coll` of the new loop: append the other side's elements to it.
          const accE = (iter as { coll: TExpr }).coll as TExpr & { kind: "read" };
          const y = this.b.newLocal("$y", other.elem, "let", false, "owned", st.span);
          const zt = tyOf(this.b.local(other.id).type);
          const zr = resolve(zt) as Ty & { kind: "vec" | "array" | "slice" };
          const push = mk({ kind: "builtin", op: "vec.push", receiver: { kind: "place", place: { ...accE.place } }, args: [c.own(this.read(y, st.span))], typeArgs: [asType(other.elem)] }, UNIT, st.span);
          const loopIter: TForIter = { kind: "seq", variable: { kind: "bind", local: y, type: asType(other.elem), span: st.span } as TPattern, coll: this.read(other.id, st.span), collKind: zr.kind, elem: asType(other.elem) };
          this.pending.push({ kind: "expr", expr: mk({ kind: "for", loopId: this.b.newLoopId(), iter: loopIter, body: this.block([{ kind: "expr", expr: push, span: st.span }], undefined, UNIT, st.span) }, UNIT, st.span), span: st.span });
          break;
        }
        case "peekable":
          // Peeking needs an iterator value (`let mut p = it.peekable()`); in a chain it changes nothing.
          if (!need(0)) return undefined;
          break;
        case "cycle":
          if (!need(0)) return undefined;
          if (!materialize(false, st, false, true)) return undefined;
          break;
        case "flat_map":
        case "flatten": {
          if (!need(st.name === "flat_map" ? 1 : 0)) return undefined;
          if (st.name === "flat_map") {
            const f = this.closureArg(st.args[0], [itemTy], freshVar());
            if (!f) return undefined;
            const y = itemLocalOf("$y", f.ret, "let", false, "owned", st.span);
            body.push(this.letStmt(y, this.callClosure(f.id, [this.byValue(itemLocal, st.span)], f.ret, st.span), st.span));
            itemLocal = y;
            itemTy = f.ret;
            item = this.read(y, st.span);
          }
          if (!materialize(false, st, true)) return undefined;
          break;
        }
        case "take":
        case "skip": {
          if (!need(1)) return undefined;
          const n = c.expectArg(st.args[0], I64);
          const lim = this.temp("$n", I64, false, st.span);
          this.pending.push(this.letStmt(lim, n, st.span));
          const cnt = this.temp("$k", I64, true, st.span);
          this.pending.push(this.letStmt(cnt, mk({ kind: "int", value: 0n }, I64, st.span), st.span));
          const cmp = mk({ kind: "binary", op: ">=", left: this.read(cnt, st.span), right: this.read(lim, st.span), operand: asType(I64) }, BOOL, st.span);
          const inc: TStmt = { kind: "compoundAssign", op: "+", place: { kind: "local", local: cnt, type: asType(I64), span: st.span }, value: mk({ kind: "int", value: 1n }, I64, st.span), operand: asType(I64), span: st.span };
          if (st.name === "take") {
            body.push(this.jumpIf(cmp, false, "break", ctx.id, st.span), inc);
          } else {
            const lt = mk({ kind: "unary", op: "not", operand: cmp }, BOOL, st.span);
            const then = this.block([inc, { kind: "expr", expr: mk({ kind: "continue", target: ctx.id }, NEVER, st.span), span: st.span }], undefined, NEVER, st.span);
            body.push({ kind: "expr", expr: mk({ kind: "if", cond: lt, then }, UNIT, st.span), span: st.span });
          }
          break;
        }
      }
    }
    void item;
    const read = (): TExpr => this.read(itemLocal, span);
    return {
      pre: this.pending, iter, loopId: ctx.id, body, itemTy, ctx, drops, itemLocal,
      get item() {
        return read();
      },
    };
  }

  private finish(l: Loop, span: Span): TExpr {
    const forBody = this.block(l.body, undefined, UNIT, span, l.drops);
    return mk({ kind: "for", loopId: l.loopId, iter: l.iter, body: forBody }, UNIT, span);
  }

  /** `for PAT in <pipeline> { body }` */
  lowerFor(p: NonNullable<ReturnType<typeof splitPipeline>>, pattern: Pattern, bodyAst: Block, label: string | undefined, span: Span): TExpr {
    this.b.pushScope();
    const l = this.build(p, span, label);
    if (!l) {
      this.b.popScope();
      return mk({ kind: "error" }, ERROR, span);
    }
    this.b.pushScope();
    const pat = this.c.checkPattern(pattern, l.itemTy, false);
    l.body.push({ kind: "let", pattern: pat, init: l.item, span });
    const userBody = this.c.withLoop(l.ctx, () => this.c.checkBlock(bodyAst));
    l.body.push({ kind: "expr", expr: userBody, span: bodyAst.span });
    const patDrops = this.b.popScope();
    const loop = this.finish(l, span);
    (loop as { body: TBlock }).body.drops = [...l.drops, ...patDrops];
    const drops = this.b.popScope();
    return this.block([...l.pre, { kind: "expr", expr: loop, span }], undefined, UNIT, span, drops);
  }

  /** `Vec.from_fn(n, f)` = `{ let $f = f; let mut $acc = Vec.new(); for $i in 0..n { $acc.push($f($i)) } $acc }` */
  lowerFromFn(nE: Expr, fE: Expr, expected: Ty | undefined, span: Span): TExpr {
    const c = this.c;
    this.b.pushScope();
    this.pending = [];
    const n = c.expectArg(nE, I64);
    const elemExp = expected && resolve(expected).kind === "vec" ? (resolve(expected) as { elem: Ty }).elem : freshVar();
    const f = this.closureArg(fE, [I64], elemExp);
    if (!f) {
      this.b.popScope();
      return mk({ kind: "error" }, ERROR, span);
    }
    const T = f.ret;
    const vt: Ty = { kind: "vec", elem: T };
    const acc = this.temp("$acc", vt, true, span);
    const pre: TStmt[] = [...this.pending, this.letStmt(acc, mk({ kind: "builtin", op: "vec.new", args: [], typeArgs: [asType(T)] }, vt, span), span)];
    const i = this.b.newLocal("$i", I64, "let", false, "owned", span);
    const lo = mk({ kind: "int", value: 0n }, I64, span);
    const iter: TForIter = { kind: "range", variable: { kind: "bind", local: i, type: asType(I64), span } as TPattern, lo, hi: n, inclusive: false, elem: asType(I64), reverse: false };
    const push = mk(
      { kind: "builtin", op: "vec.push", receiver: { kind: "place", place: { kind: "local", local: acc, type: asType(vt), span } }, args: [this.callClosure(f.id, [this.read(i, span)], T, span)], typeArgs: [asType(T)] },
      UNIT,
      span,
    );
    const loop = mk({ kind: "for", loopId: this.b.newLoopId(), iter, body: this.block([{ kind: "expr", expr: push, span }], undefined, UNIT, span) }, UNIT, span);
    const drops = this.b.popScope();
    const tail = ownMarker(this.read(acc, span), false, vt, span);
    return this.block([...pre, { kind: "expr", expr: loop, span }], tail, vt, span, drops);
  }

  /** `<pipeline>.terminal(args)` as an expression. */
  lowerTerminal(p: NonNullable<ReturnType<typeof splitPipeline>>, name: string, args: Expr[], expected: Ty | undefined, span: Span): TExpr {
    const c = this.c;
    this.b.pushScope();
    const l = this.build(p, span);
    const fail = (): TExpr => {
      this.b.popScope();
      return mk({ kind: "error" }, ERROR, span);
    };
    if (!l) return fail();
    const need = (n: number): boolean => {
      if (args.length === n) return true;
      c.err(Codes.ArgCount, `${name} takes ${n} argument${n === 1 ? "" : "s"} but ${args.length} were supplied`, span);
      return false;
    };
    const T = l.itemTy;
    const zero = (ty: Ty, v: bigint): TExpr => {
      const r = resolve(ty);
      return r.kind === "float" ? mk({ kind: "float", value: Number(v) }, r, span) : mk({ kind: "int", value: v }, ty, span);
    };
    let acc: LocalId | undefined;
    let resultTy: Ty = UNIT;
    const brk = (): TExpr => mk({ kind: "break", target: l.loopId }, NEVER, span);
    const setAcc = (v: TExpr): TStmt => this.assign(acc!, v, span);
    switch (name) {
      case "collect": {
        if (!need(0)) return fail();
        const into = expected ? resolve(expected) : undefined;
        if (into && (into.kind === "map" || into.kind === "set" || into.kind === "string")) {
          const r = collectInto(this.c, into, T, l, span);
          if (!r) return fail();
          resultTy = into;
          acc = this.temp("$acc", resultTy, true, span);
          l.pre.push(this.letStmt(acc, r.init, span));
          l.body.push(r.step(acc));
          break;
        }
        // A VecDeque collects like a Vec (same storage).
        resultTy = into && into.kind === "vec" && into.deque ? { kind: "vec", elem: T, deque: true } : { kind: "vec", elem: T };
        if (expected && resolve(expected).kind === "vec") unify(expected, resultTy);
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "builtin", op: "vec.new", args: [], typeArgs: [asType(T)] }, resultTy, span), span));
        l.body.push({
          kind: "expr",
          expr: mk({ kind: "builtin", op: "vec.push", receiver: { kind: "place", place: { kind: "local", local: acc, type: asType(resultTy), span } }, args: [this.c.own(l.item)], typeArgs: [asType(T)] }, UNIT, span),
          span,
        });
        break;
      }
      case "sum":
      case "product": {
        if (!need(0)) return fail();
        if (!isNumLike(T) && !isError(T)) {
          c.err(Codes.BadOperand, `${name}() needs numeric elements, found ${show(T)}`, span);
          return fail();
        }
        resultTy = T;
        acc = this.temp("$acc", T, true, span);
        l.pre.push(this.letStmt(acc, zero(T, name === "sum" ? 0n : 1n), span));
        l.body.push(setAcc(mk({ kind: "binary", op: name === "sum" ? "+" : "*", left: this.read(acc, span), right: l.item, operand: asType(T) }, T, span)));
        break;
      }
      case "count": {
        if (!need(0)) return fail();
        resultTy = I64;
        acc = this.temp("$acc", I64, true, span);
        l.pre.push(this.letStmt(acc, zero(I64, 0n), span));
        l.body.push({ kind: "compoundAssign", op: "+", place: { kind: "local", local: acc, type: asType(I64), span }, value: zero(I64, 1n), operand: asType(I64), span });
        break;
      }
      case "any":
      case "all": {
        if (!need(1)) return fail();
        const f = this.closureArg(args[0], [T], BOOL);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        resultTy = BOOL;
        acc = this.temp("$acc", BOOL, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "bool", value: name === "all" }, BOOL, span), span));
        const test = this.callClosure(f.id, [l.item], BOOL, span);
        const then = this.block([setAcc(mk({ kind: "bool", value: name === "any" }, BOOL, span)), { kind: "expr", expr: brk(), span }], undefined, NEVER, span);
        const cond = name === "any" ? test : mk({ kind: "unary", op: "not", operand: test }, BOOL, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond, then }, UNIT, span), span });
        break;
      }
      case "fold": {
        if (!need(2)) return fail();
        const init = c.checkExpr(args[0], expected);
        resultTy = tyOf(init.type);
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, c.own(init), span));
        const f = this.closureArg(args[1], [resultTy, T], resultTy);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        const accVal = ownMarker(this.read(acc, span), false, resultTy, span);
        l.body.push(setAcc(this.callClosure(f.id, [accVal, l.item], resultTy, span)));
        break;
      }
      case "position":
      case "find": {
        if (!need(1)) return fail();
        const f = this.closureArg(args[0], [T], BOOL);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        const payload = name === "find" ? T : I64;
        resultTy = c.optionOf(payload);
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, resultTy, span), span));
        let idx: LocalId | undefined;
        if (name === "position") {
          idx = this.temp("$pos", I64, true, span);
          l.pre.push(this.letStmt(idx, zero(I64, 0n), span));
        }
        const test = this.callClosure(f.id, [ownMarker(l.item, true)], BOOL, span);
        const found = name === "find" ? this.c.own(l.item) : this.read(idx!, span);
        const then = this.block([setAcc(mk({ kind: "variant", enum: "Option", variant: 0, payload: [found] }, resultTy, span)), { kind: "expr", expr: brk(), span }], undefined, NEVER, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond: test, then }, UNIT, span), span });
        if (idx !== undefined) {
          l.body.push({ kind: "compoundAssign", op: "+", place: { kind: "local", local: idx, type: asType(I64), span }, value: zero(I64, 1n), operand: asType(I64), span });
        }
        break;
      }
      case "max":
      case "min": {
        if (!need(0)) return fail();
        const r = resolve(T);
        const primitive = r.kind === "int" || r.kind === "char" || r.kind === "string" || r.kind === "bool" || (r.kind === "var" && r.lit === "int");
        const ordered = primitive || (r.kind !== "float" && r.kind !== "var" && isOrdered(this.c.table, r));
        if (!ordered) {
          if (r.kind !== "error") c.err(Codes.BadOperand, `${name}() needs totally ordered elements, found ${show(T)}${r.kind === "float" || (r.kind === "var" && r.lit === "float") ? "; f64 has no total order" : ""}`, span);
          return fail();
        }
        resultTy = c.optionOf(T);
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, resultTy, span), span));
        // if $acc.is_none() or item >= $acc.unwrap() { $acc = Some(item) }   (max keeps the last maximum, min the first minimum)
        const accRead = (): TExpr => this.read(acc!, span);
        const isNone = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: accRead() }, args: [], typeArgs: [asType(resultTy)] }, BOOL, span);
        const cur = mk({ kind: "builtin", op: "option.unwrap", receiver: { kind: "value", value: accRead() }, args: [], typeArgs: [asType(resultTy)] }, T, span);
        // Tuples, Vecs and derived-Ord types compare through a three-way `cmp`.
        const better = primitive
          ? mk({ kind: "binary", op: name === "max" ? ">=" : "<", left: l.item, right: cur, operand: asType(T) }, BOOL, span)
          : mk({ kind: "builtin", op: name === "max" ? "ordering.is_ge" : "ordering.is_lt", receiver: { kind: "value", value: mk({ kind: "builtin", op: "cmp", receiver: { kind: "value", value: l.item }, args: [cur], typeArgs: [asType(T)] }, orderingTy(this.c), span) }, args: [], typeArgs: [] }, BOOL, span);
        const cond = mk({ kind: "logical", op: "or", left: isNone, right: better }, BOOL, span);
        const item2 = this.read(l.itemLocal, span);
        const then = this.block([setAcc(mk({ kind: "variant", enum: "Option", variant: 0, payload: [this.c.own(item2)] }, resultTy, span))], undefined, UNIT, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond, then }, UNIT, span), span });
        break;
      }
      case "last":
      case "next":
      case "nth": {
        if (!need(name === "nth" ? 1 : 0)) return fail();
        resultTy = c.optionOf(T);
        acc = this.temp("$acc", resultTy, true, span);
        const some = (): TStmt => setAcc(mk({ kind: "variant", enum: "Option", variant: 0, payload: [this.c.own(l.item)] }, resultTy, span));
        if (name === "nth") {
          const n = c.expectArg(args[0], I64);
          const k = this.temp("$nth", I64, true, span);
          l.pre.push(this.letStmt(k, n, span));
          // if $nth == 0 { $acc = Some(x); break } $nth -= 1   (a negative n never matches)
          const hit = mk({ kind: "binary", op: "==", left: this.read(k, span), right: zero(I64, 0n), operand: asType(I64) }, BOOL, span);
          l.body.push({ kind: "expr", expr: mk({ kind: "if", cond: hit, then: this.block([some(), { kind: "expr", expr: brk(), span }], undefined, NEVER, span) }, UNIT, span), span });
          l.body.push({ kind: "compoundAssign", op: "-", place: { kind: "local", local: k, type: asType(I64), span }, value: zero(I64, 1n), operand: asType(I64), span });
        } else if (name === "next") {
          // `next()` on a pipeline that is not a stored iterator: its first item.
          l.body.push(some(), { kind: "expr", expr: brk(), span });
        } else l.body.push(some());
        l.pre.push(this.letStmt(acc, mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, resultTy, span), span));
        break;
      }
      case "min_by_key":
      case "max_by_key":
      case "min_by":
      case "max_by":
      case "reduce": {
        if (!need(1)) return fail();
        const byKey = name.endsWith("_key");
        const K = byKey ? freshVar() : T;
        const ord = this.c.table.enumTy(this.c.table.enums.get("Ordering")!, []);
        const f = this.closureArg(args[0], byKey ? [T] : [T, T], byKey ? K : name === "reduce" ? T : ord);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        if (byKey) {
          this.c.deferred.push(() => {
            const r = resolve(K);
            const ok = r.kind === "int" || r.kind === "char" || r.kind === "string" || r.kind === "bool" || r.kind === "tuple" || r.kind === "error" || (r.kind === "var" && r.lit === "int");
            if (!ok) c.err(Codes.BadOperand, `${name} needs a totally ordered key, found ${show(r)}`, args[0].span);
          });
        }
        resultTy = c.optionOf(T);
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, resultTy, span), span));
        const itemLocal = l.itemLocal;
        const accRead = (): TExpr => this.read(acc!, span);
        const isNone = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: accRead() }, args: [], typeArgs: [asType(resultTy)] }, BOOL, span);
        const cur = (): TExpr => mk({ kind: "builtin", op: "option.unwrap", receiver: { kind: "value", value: accRead() }, args: [], typeArgs: [asType(resultTy)] }, T, span);
        const byVal = (e: TExpr): TExpr => ownMarker(e, true, tyOf(e.type), span);
        const store = (v: TExpr): TStmt => setAcc(mk({ kind: "variant", enum: "Option", variant: 0, payload: [v] }, resultTy, span));
        if (name === "reduce") {
          // $acc = if $acc.is_none() { Some(x) } else { Some(f($acc.unwrap(), x)) }
          const combined = this.callClosure(f.id, [byVal(cur()), this.c.own(this.read(itemLocal, span))], T, span);
          const then = this.block([store(this.c.own(this.read(itemLocal, span)))], undefined, UNIT, span);
          const els = this.block([store(combined)], undefined, UNIT, span);
          l.body.push({ kind: "expr", expr: mk({ kind: "if", cond: isNone, then, else: els }, UNIT, span), span });
          break;
        }
        // Rust's rules: max_* keeps the last of equal maxima, min_* the first of equal minima.
        let better: TExpr;
        if (byKey) {
          const kx = this.callClosure(f.id, [byVal(this.read(itemLocal, span))], K, span);
          const kc = this.callClosure(f.id, [byVal(cur())], K, span);
          better = mk({ kind: "binary", op: name === "max_by_key" ? ">=" : "<", left: kx, right: kc, operand: asType(K) }, BOOL, span);
        } else {
          const o = this.callClosure(f.id, [byVal(this.read(itemLocal, span)), byVal(cur())], ord, span);
          const tag = name === "max_by" ? "ordering.is_ge" : "ordering.is_lt";
          better = mk({ kind: "builtin", op: tag, receiver: { kind: "value", value: o }, args: [], typeArgs: [] }, BOOL, span);
        }
        const cond = mk({ kind: "logical", op: "or", left: isNone, right: better }, BOOL, span);
        const then = this.block([store(this.c.own(this.read(itemLocal, span)))], undefined, UNIT, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond, then }, UNIT, span), span });
        break;
      }
      case "find_map": {
        if (!need(1)) return fail();
        const out = freshVar();
        const optTy = c.optionOf(out);
        const f = this.closureArg(args[0], [T], optTy);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        resultTy = optTy;
        acc = this.temp("$acc", resultTy, true, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, resultTy, span), span));
        l.body.push(setAcc(this.callClosure(f.id, [this.c.own(l.item)], optTy, span)));
        const isSome = mk({ kind: "builtin", op: "option.is_some", receiver: { kind: "value", value: this.read(acc, span) }, args: [], typeArgs: [asType(resultTy)] }, BOOL, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond: isSome, then: this.block([{ kind: "expr", expr: brk(), span }], undefined, NEVER, span) }, UNIT, span), span });
        break;
      }
      case "partition": {
        // (items where f is true, items where it is false), each in order.
        if (!need(1)) return fail();
        const f = this.closureArg(args[0], [T], BOOL);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        const vt: Ty = { kind: "vec", elem: T };
        resultTy = { kind: "tuple", elems: [vt, vt] };
        acc = this.temp("$acc", resultTy, true, span);
        const empty = () => mk({ kind: "builtin", op: "vec.new", args: [], typeArgs: [asType(T)] }, vt, span);
        l.pre.push(this.letStmt(acc, mk({ kind: "tuple", elems: [empty(), empty()] }, resultTy, span), span));
        const side = (i: number): TStmt => {
          const base = { kind: "local" as const, local: acc!, type: asType(resultTy), span };
          const place = { kind: "tupleField" as const, base, index: i, type: asType(vt), span };
          return { kind: "expr", expr: mk({ kind: "builtin", op: "vec.push", receiver: { kind: "place", place }, args: [this.c.own(this.read(l.itemLocal, span))], typeArgs: [asType(T)] }, UNIT, span), span };
        };
        const test = this.callClosure(f.id, [this.byValue(l.itemLocal, span)], BOOL, span);
        l.body.push({ kind: "expr", expr: mk({ kind: "if", cond: test, then: this.block([side(0)], undefined, UNIT, span), else: this.block([side(1)], undefined, UNIT, span) }, UNIT, span), span });
        break;
      }
      case "for_each": {
        if (!need(1)) return fail();
        const f = this.closureArg(args[0], [T], UNIT);
        if (!f) return fail();
        l.pre.push(...this.pending.splice(0));
        l.body.push({ kind: "expr", expr: this.callClosure(f.id, [this.c.own(l.item)], UNIT, span), span });
        break;
      }
      default:
        return fail();
    }
    const loop = this.finish(l, span);
    const drops = this.b.popScope();
    const tail = acc !== undefined ? ownMarker(this.read(acc, span), false, resultTy, span) : undefined;
    return this.block([...l.pre, { kind: "expr", expr: loop, span }], tail, resultTy, span, drops);
  }
}

/**
 * `collect()` into the expected Map / SortedMap (items are `(K, V)` pairs; a later key replaces the
 * value of an earlier one), Set / SortedSet, or String (items are chars or Strings): the empty
 * accumulator and the statement that adds one item to it.
 */
function collectInto(c: CheckContext, into: Ty & { kind: "map" | "set" | "string" }, T: Ty, l: Loop, span: Span): { init: TExpr; step: (acc: LocalId) => TStmt } | undefined {
  const accPlace = (acc: LocalId) => ({ kind: "place" as const, place: { kind: "local" as const, local: acc, type: asType(into), span } });
  const stmt = (expr: TExpr): TStmt => ({ kind: "expr", expr, span });
  if (into.kind === "string") {
    const r = resolve(T);
    const isChar = r.kind === "char" || (r.kind !== "string" && unify(T, CHAR));
    if (!isChar && !unify(T, { kind: "string" })) {
      c.err(Codes.Mismatch, `cannot collect items of type ${show(T)} into a String: they must be char or String`, span);
      return undefined;
    }
    return {
      init: mk({ kind: "builtin", op: "string.new", args: [], typeArgs: [] }, into, span),
      step: (acc) => stmt(mk({ kind: "builtin", op: isChar ? "string.push" : "string.push_str", receiver: accPlace(acc), args: [l.item], typeArgs: [] }, UNIT, span)),
    };
  }
  const sortedNew = (kind: "map" | "set"): string => (into.sorted ? `sorted${kind}.new` : `${kind}.new`);
  if (into.kind === "set") {
    if (!unify(T, into.elem)) {
      c.mismatch(into.elem, T, span);
      return undefined;
    }
    return {
      init: mk({ kind: "builtin", op: sortedNew("set") as "set.new", args: [], typeArgs: [asType(into.elem)] }, into, span),
      step: (acc) => stmt(mk({ kind: "builtin", op: "set.insert", receiver: accPlace(acc), args: [c.own(l.item)], typeArgs: [asType(into.elem)] }, BOOL, span)),
    };
  }
  const pair: Ty = { kind: "tuple", elems: [into.key, into.value] };
  if (!unify(T, pair)) {
    c.err(Codes.Mismatch, `cannot collect items of type ${show(T)} into ${show(into)}: they must be (key, value) pairs`, span);
    return undefined;
  }
  // The pair is freed with the item, so the map stores copies of its key and value.
  const field = (i: number): TExpr => {
    const ty = i === 0 ? into.key : into.value;
    const base = { kind: "local" as const, local: l.itemLocal, type: asType(l.itemTy), span };
    return ownMarker(mk({ kind: "read", place: { kind: "tupleField", base, index: i, type: asType(ty), span } }, ty, span), true, ty, span);
  };
  return {
    init: mk({ kind: "builtin", op: sortedNew("map") as "map.new", args: [], typeArgs: [asType(into.key), asType(into.value)] }, into, span),
    step: (acc) => stmt(mk({ kind: "builtin", op: "map.insert", receiver: accPlace(acc), args: [field(0), field(1)], typeArgs: [asType(into.key), asType(into.value)] }, c.optionOf(into.value), span)),
  };
}
