// Blocks and statements: `let` (with `else`), assignment (including `m[k] = v`), `defer`.

import type { AssignOp, Block, Expr, Span, Stmt } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { asType, tyOf, type LoopCtx } from "../builder.js";
import { writablePlace } from "../map-places.js";
import type { BinOp, TBlock, TExpr, TPattern, TStmt } from "../../tir/nodes.js";
import { defaultLiterals, NEVER, STRING, UNIT, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, type OwnMarker, mk, T } from "../context.js";
import { checkRefLet } from "../ref-bindings.js";
import { isStoredIterMut, noteStoredIterMut } from "../iter-mut.js";
import { checkEntryBinding, isEntryBinding, noteEntryBindings } from "./entry-bindings.js";
import { withinUnsafe } from "../unsafe-scope.js";
import { checkBorrowConflicts } from "../borrow-conflicts.js";

export function checkBlock(cx: CheckContext, block: Block, expected?: Ty): TBlock {
  if (block.unsafe) return withinUnsafe(cx.b, () => ({ ...checkBlockBody(cx, block, expected), unsafe: true }));
  return checkBlockBody(cx, block, expected);
}

function checkBlockBody(cx: CheckContext, block: Block, expected?: Ty): TBlock {
  const b = cx.b;
  b.pushScope();
  let label: LoopCtx | undefined;
  if (block.label) {
    label = { id: b.newLoopId(), label: block.label, kind: "block", breakTy: expected ?? freshVar(), hasBreak: false };
    b.loops.push(label);
  }
  const stmts: TStmt[] = [];
  let diverges = false;
  noteStoredIterMut(block);
  noteEntryBindings(block);
  checkBorrowConflicts(cx, block);
  for (const s of block.stmts) {
    if (isStoredIterMut(s)) continue;
    if (isEntryBinding(s)) {
      stmts.push(...checkEntryBinding(cx, s as Stmt & { kind: "let" }));
      continue;
    }
    const t = checkStmt(cx, s);
    if (t) {
      stmts.push(t);
      if (t.kind === "expr" && resolve(T(t.expr)).kind === "never") diverges = true;
    }
  }
  let tail: TExpr | undefined;
  if (block.tail) tail = cx.checkExpr(block.tail, expected);
  if (label) b.loops.pop();
  const drops = b.popScope();
  let ty: Ty = tail ? T(tail) : diverges ? NEVER : UNIT;
  if (label && label.hasBreak) {
    if (tail && !unify(label.breakTy!, T(tail))) cx.mismatch(label.breakTy!, T(tail), tail.span);
    ty = label.breakTy!;
  }
  const out: TBlock = { kind: "block", stmts, tail, drops, type: asType(ty), span: block.span };
  if (label) out.labelId = label.id;
  return out;
}

export function checkStmt(cx: CheckContext, s: Stmt): TStmt | undefined {
  switch (s.kind) {
    case "empty":
      return undefined;
    case "expr": {
      cx.b.valueUnused.add(s.expr);
      const e = cx.checkExpr(s.expr);
      cx.b.valueUnused.delete(s.expr);
      return { kind: "expr", expr: e, span: s.span };
    }
    case "let":
      return checkLet(cx, s);
    case "assign":
      return checkAssign(cx, s);
    case "defer":
      return { kind: "expr", expr: checkDefer(cx, s), span: s.span };
  }
}

/**
 * `defer` / `errdefer` / `errdefer(e)`: the body is checked in its own scope with no enclosing
 * loops, so `break`/`continue` cannot leave it; `return` and `?` are rejected (core.md F12.2).
 */
export function checkDefer(cx: CheckContext, s: Stmt & { kind: "defer" }): TExpr {
  const b = cx.b;
  const sp = s.span;
  const savedLoops = b.loops;
  b.loops = [];
  b.deferDepth++;
  b.pushScope();
  let errPattern: TPattern | undefined;
  if (s.err) {
    const r = resolve(b.escapeRet());
    const info = r.kind === "enum" ? cx.table.enums.get(r.name) : undefined;
    if (r.kind === "enum" && info?.prelude === "result") {
      const errTy = r.args[1];
      let arg: TPattern = { kind: "wild", type: asType(errTy), span: sp } as TPattern;
      if (s.binding) {
        // Bound by the cleanup itself and freed after the body: not in any block's drops.
        const id = b.newLocal(s.binding, errTy, "let", false, "owned", sp);
        b.scopes[b.scopes.length - 1].set(s.binding, id);
        arg = { kind: "bind", local: id, type: asType(errTy), span: sp } as TPattern;
      }
      errPattern = { kind: "variant", enum: r.name, variant: 1, args: [arg], type: asType(r), span: sp } as TPattern;
    } else if (s.binding) {
      cx.err(Codes.Mismatch, `\`errdefer(${s.binding})\` needs a function that returns Result, not ${show(r)}`, sp);
    }
  }
  const body = cx.checkExpr(s.body);
  b.popScope();
  b.deferDepth--;
  b.loops = savedLoops;
  return mk({ kind: "defer", value: body, err: s.err, errPattern }, UNIT, sp);
}

/**
 * `let P = v else { diverge };` lowers to
 * `let (a, b) = match v { P => (a, b), _ => { diverge } };` (a single binding needs no tuple).
 */
export function checkLetElse(cx: CheckContext, s: Stmt & { kind: "let" }, elseBlock: Block): TStmt | undefined {
  const ann = s.type ? cx.resolveTy(s.type) : undefined;
  if (!s.value) return undefined;
  const scrut = cx.checkExpr(s.value, ann);
  if (ann && !unify(T(scrut), ann)) cx.mismatch(ann, T(scrut), s.value.span);
  const b = cx.b;
  b.pushScope();
  const inner = cx.checkPattern(s.pattern, T(scrut), false);
  const bound = [...b.scopes[b.scopes.length - 1].entries()];
  b.popScope();
  const els = checkBlock(cx, elseBlock);
  if (resolve(T(els)).kind !== "never") {
    cx.err(Codes.Mismatch, "the `else` block of `let ... else` must diverge (return, break, continue or panic)", elseBlock.span);
  }
  const sp = s.span;
  const reads = bound.map(([, id]) => cx.own(mk({ kind: "read", place: { kind: "local", local: id, type: b.local(id).type, span: sp } }, b.localTy(id), sp)));
  const tys = bound.map(([, id]) => b.localTy(id));
  const valTy: Ty = tys.length === 1 ? tys[0] : tys.length === 0 ? UNIT : { kind: "tuple", elems: tys };
  const okBody: TExpr = tys.length === 1 ? reads[0] : tys.length === 0 ? mk({ kind: "unit" }, UNIT, sp) : mk({ kind: "tuple", elems: reads }, valTy, sp);
  const wild = { kind: "wild", type: scrut.type, span: sp } as TPattern;
  const m = mk({ kind: "match", scrutinee: scrut, arms: [{ pattern: inner, body: okBody, span: sp }, { pattern: wild, body: els, span: elseBlock.span }] }, valTy, sp);
  // The outer bindings, visible after the statement.
  const outer = bound.map(([name, id]) => {
    const l = b.local(id);
    const oid = b.newLocal(name, b.localTy(id), "let", l.mut, "owned", l.span);
    b.declare(name, oid);
    return { kind: "bind", local: oid, type: l.type, span: l.span } as TPattern;
  });
  const pattern: TPattern = outer.length === 1 ? outer[0] : outer.length === 0 ? ({ kind: "wild", type: asType(UNIT), span: sp } as TPattern) : ({ kind: "tuple", elems: outer, type: asType(valTy), span: sp } as TPattern);
  return { kind: "let", pattern, init: m, span: sp };
}

export function checkLet(cx: CheckContext, s: Stmt & { kind: "let" }): TStmt | undefined {
  if (s.byRef && s.value) return checkRefLet(cx, s);
  if (s.elseBlock) return checkLetElse(cx, s, s.elseBlock);
  const ann = s.type ? cx.resolveTy(s.type) : undefined;
  let init: TExpr | undefined;
  let ty: Ty;
  if (s.value) {
    let v = cx.checkExpr(s.value, ann);
    // Destructuring reads the parts of a place without consuming the whole (it stays usable).
    if (s.pattern.kind !== "bind" && v.kind === "read") v = mk({ kind: "$own", value: v, copyOnly: true } as OwnMarker, T(v), v.span);
    if (ann) {
      init = cx.coerce(cx.own(v), ann, s.value.span);
      ty = ann;
    } else {
      init = cx.own(v);
      ty = T(v);
      if (resolve(ty).kind === "never") ty = freshVar();
      // karac types an unannotated literal at its binding: `let b = 2;` is i64 from here on.
      defaultLiterals(ty);
    }
    const r = resolve(ty);
    if (r.kind === "unit" && s.pattern.kind === "bind") {
      // karac accepts `let x = ();`-like bindings; nothing to check.
    }
  } else {
    ty = ann ?? freshVar();
    if (s.pattern.kind !== "bind") cx.err(Codes.Uninitialised, "a destructuring `let` needs a value", s.span);
  }
  const pattern = cx.checkPattern(s.pattern, ty, true);
  if (!init && pattern.kind === "bind") cx.b.deferredInit.add(pattern.local);
  return { kind: "let", pattern, init, span: s.span };
}

/** `m[k] = v` inserts; `m[k] op= v` re-inserts `m[k] op v`. */
export function checkMapAssign(cx: CheckContext, s: { op: AssignOp; span: Span; value: AssignedValue }, target: Expr & { kind: "index" }): TStmt | undefined {
  const base = cx.placeOrTemp(target.object);
  if (!base) return undefined;
  const mt = resolve(tyOf(base.type));
  if (mt.kind !== "map") return undefined;
  cx.requireMutable(base, target.span, "assign");
  const key = cx.checkExpr(target.indices[0], mt.key);
  if (!unify(T(key), mt.key)) cx.mismatch(mt.key, T(key), target.indices[0].span);
  const ta = [asType(mt.key), asType(mt.value)];
  let value = s.value.check(mt.value);
  if (s.op === "=") value = cx.coerce(cx.own(value), mt.value, s.value.span);
  else {
    const op = s.op.slice(0, -1) as BinOp;
    const cur = mk({ kind: "builtin", op: "map.index", receiver: { kind: "place", place: base }, args: [key], typeArgs: ta }, mt.value, target.span);
    const r = resolve(mt.value);
    const operand = op === "+" && r.kind === "string" ? STRING : cx.binaryOperands(op, mt.value, T(value), s.span, s.value.span);
    value = mk({ kind: "binary", op, left: cur, right: value, operand: asType(operand) }, operand, s.span);
  }
  const ins = mk({ kind: "builtin", op: "map.insert", receiver: { kind: "place", place: base }, args: [cx.own(key), value], typeArgs: ta }, cx.optionOf(mt.value), s.span);
  return { kind: "expr", expr: ins, span: s.span };
}

/** A value for an assignment target, checked once the target's type is known. */
type AssignedValue = { span: Span; check: (expected: Ty | undefined) => TExpr };

/** `target = value` for one target: a Map entry (`m[k] = v`, an insert) or a writable place. */
function assignOne(cx: CheckContext, target: Expr, value: AssignedValue, span: Span): TStmt | undefined {
  if (target.kind === "index" && target.indices.length === 1 && target.indices[0].kind !== "range") {
    const probe = cx.probeType(target.object);
    if (probe && resolve(probe).kind === "map") return checkMapAssign(cx, { op: "=", span, value }, target);
  }
  const checked = cx.checkPlace(target);
  const place = checked && writablePlace(checked);
  if (!place) {
    value.check(undefined);
    return undefined;
  }
  cx.requireMutable(place, target.span, "assign");
  const pty = tyOf(place.type);
  return { kind: "assign", place, value: cx.coerce(cx.own(value.check(pty)), pty, value.span), span };
}

/**
 * `a, b = b, a;` (the parser's tuple assigned a tuple of the same length): every right-hand value
 * is evaluated into a temporary, left to right, before any target is written, left to right.
 */
function checkParallelAssign(cx: CheckContext, s: Stmt & { kind: "assign" }, targets: Expr[], values: Expr[]): TStmt {
  const b = cx.b;
  b.pushScope();
  const stmts: TStmt[] = [];
  const temps = values.map((e, k) => {
    const init = cx.own(cx.checkExpr(e));
    const ty = T(init);
    const name = `$value${k}`;
    const id = b.newLocal(name, ty, "temp", false, "owned", e.span);
    b.declare(name, id);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span: e.span } as TPattern, init, span: e.span });
    return { id, ty, span: e.span };
  });
  targets.forEach((target, k) => {
    const { id, ty, span } = temps[k];
    const read = (): TExpr => cx.own(mk({ kind: "read", place: { kind: "local", local: id, type: asType(ty), span } }, ty, span));
    const st = assignOne(cx, target, { span, check: read }, target.span);
    if (st) stmts.push(st);
  });
  const drops = b.popScope();
  const block: TBlock = { kind: "block", stmts, drops, type: asType(UNIT), span: s.span };
  return { kind: "expr", expr: block, span: s.span };
}

export function checkAssign(cx: CheckContext, s: Stmt & { kind: "assign" }): TStmt | undefined {
  if (s.op === "=" && s.target.kind === "tuple") {
    const targets = s.target.elems;
    if (s.value.kind === "tuple" && s.value.elems.length === targets.length) return checkParallelAssign(cx, s, targets, s.value.elems);
  }
  if (s.op === "=") return assignOne(cx, s.target, { span: s.value.span, check: (expected) => cx.checkExpr(s.value, expected) }, s.span);
  const checked = cx.checkPlace(s.target);
  const place = checked && writablePlace(checked);
  if (!place) {
    cx.checkExpr(s.value);
    return undefined;
  }
  cx.requireMutable(place, s.target.span, "assign");
  const pty = tyOf(place.type);
  const op = s.op.slice(0, -1) as BinOp;
  const v = cx.checkExpr(s.value, pty);
  const r = resolve(pty);
  if (op === "+" && r.kind === "string") {
    if (!unify(T(v), STRING)) cx.mismatch(STRING, T(v), s.value.span);
    return { kind: "compoundAssign", op, place, value: v, operand: asType(STRING), span: s.span };
  }
  cx.binaryOperands(op, pty, T(v), s.span, s.value.span);
  return { kind: "compoundAssign", op, place, value: v, operand: asType(pty), span: s.span };
}
