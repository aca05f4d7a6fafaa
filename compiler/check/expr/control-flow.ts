// `if`, `if let`, `while`, `while let`, `loop`, `for`, `break`/`continue`, `match`, `?`.

import type { Block, Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { asType, type LoopCtx } from "../builder.js";
import { PipelineLowering, splitPipeline } from "../pipeline.js";
import type { LocalId, TBlock, TExpr, TForIter, TMatchArm, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { defaultLiterals, BOOL, CHAR, ERROR, I64, NEVER, UNIT, freshVar, isError, isIntLike, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import { checkIterMutFor, iterMutHead, storedIterMutHead, type IterMutLoop } from "../iter-mut.js";
import { aliasBindingsThroughMutRef } from "../mutref-patterns.js";
import { convertedError, errorConversion } from "../builtin-methods/conversions.js";
import type { FnInfo } from "../items.js";

export function checkCondition(cx: CheckContext, e: Expr): TExpr {
  const c = cx.checkExpr(e, BOOL);
  if (!unify(T(c), BOOL) && !isError(T(c))) {
    // mismatch already reported? unify failed, report once
    cx.err(Codes.ConditionNotBool, `mismatched types: expected bool, found ${show(T(c))}; conditions must be bool`, e.span);
  }
  return c;
}

/** Type of two branches joined: Never yields to the other side. */
export function joinTypes(cx: CheckContext, a: TExpr, b: TExpr, span: Span): Ty {
  return joinBranchTypes(cx, T(a), T(b), span);
}

function joinBranchTypes(cx: CheckContext, left: Ty, right: Ty, span: Span): Ty {
  const ta = resolve(left);
  const tb = resolve(right);
  if (ta.kind === "never") return tb;
  if (tb.kind === "never") return ta;
  if (!unify(ta, tb)) {
    cx.err(Codes.Mismatch, `if and else have incompatible types: ${show(ta)} and ${show(tb)}`, span);
    return ERROR;
  }
  return ta;
}

/** Whether `e` is the `if`/`match` of an expression statement (and claims that mark once). */
function valueUnused(cx: CheckContext, e: Expr): boolean {
  return cx.b.valueUnused.delete(e);
}

/** Checks `e` (an `else` branch) as part of the same unused-value statement. */
function checkUnusedToo(cx: CheckContext, e: Expr): TExpr {
  if (e.kind === "if" || e.kind === "ifLet") cx.b.valueUnused.add(e);
  const out = cx.checkExpr(e);
  cx.b.valueUnused.delete(e);
  return out;
}

/** A loop body: the value of its tail `if`/`match` is unused like a statement's. */
function checkLoopBody(cx: CheckContext, body: Block): TBlock {
  const tail = body.tail;
  if (tail) cx.b.valueUnused.add(tail);
  const out = cx.checkBlock(body);
  if (tail) cx.b.valueUnused.delete(tail);
  return out;
}

/**
 * An arm of an `if`/`match` whose value is unused: its value is discarded like an expression
 * statement's, so arms of different types make a statement of type ().
 */
function discardValue(body: TExpr): TExpr {
  const k = resolve(T(body)).kind;
  if (k === "unit" || k === "never" || k === "error") return body;
  return { kind: "block", stmts: [{ kind: "expr", expr: body, span: body.span }], drops: [], type: asType(UNIT), span: body.span } as TBlock;
}

/** The arms of a statement `if`/`match`: when their types differ, each value is discarded. */
function armsAgree(arms: TExpr[]): boolean {
  const live = arms.filter((a) => resolve(T(a)).kind !== "never");
  return live.every((a) => unify(T(live[0]), T(a)));
}

/**
 * An `else if` chain at least this long is checked in a loop and becomes one guarded `match` in the
 * typed tree. Nested `if` nodes cost every later phase a level of recursion per branch, and
 * generated code writes chains of thousands of branches; a flat list of arms costs none. Shorter
 * chains keep the nested form, which reads better in the typed-tree views.
 */
const FLAT_CHAIN_MIN_LINKS = 32;

type IfExpr = Expr & { kind: "if" };

/** `e` and the plain `else if` links after it. */
function elseIfLinks(e: IfExpr): IfExpr[] {
  const links: IfExpr[] = [e];
  for (let at = e.else; at?.kind === "if"; at = at.else) links.push(at);
  return links;
}

export function checkIf(cx: CheckContext, e: IfExpr, exp?: Ty): TExpr {
  const unused = valueUnused(cx, e);
  const links = e.else?.kind === "if" ? elseIfLinks(e) : [e];
  if (links.length >= FLAT_CHAIN_MIN_LINKS) return checkIfChain(cx, links, unused, exp);
  const cond = checkCondition(cx, e.cond);
  const then = cx.checkBlock(e.then, e.else ? exp : undefined);
  if (!e.else) {
    const tt = resolve(T(then));
    if (tt.kind !== "unit" && tt.kind !== "never" && tt.kind !== "error" && then.tail) {
      if (!unify(tt, UNIT)) cx.err(Codes.Mismatch, `\`if\` without \`else\` must have type (), found ${show(tt)}; add an else branch or end the block with ';'`, then.tail.span);
    }
    return mk({ kind: "if", cond, then }, UNIT, e.span);
  }
  if (unused) {
    // `else if` continues the same statement.
    const els = checkUnusedToo(cx, e.else);
    if (!armsAgree([then, els])) return mk({ kind: "if", cond, then: discardValue(then) as TBlock, else: discardValue(els) }, UNIT, e.span);
    return mk({ kind: "if", cond, then, else: els }, joinTypes(cx, then, els, e.else.span), e.span);
  }
  const els = cx.checkExpr(e.else, exp ?? (resolve(T(then)).kind !== "never" ? T(then) : undefined));
  const ty = joinTypes(cx, then, els, e.else.span);
  return mk({ kind: "if", cond, then, else: els }, ty, e.span);
}

/**
 * `if c1 { b1 } else if c2 { b2 } … else { z }` as `match () { _ if c1 => b1, _ if c2 => b2, …,
 * _ => z }`: the same order of evaluation, types and diagnostics as the nested form.
 */
function checkIfChain(cx: CheckContext, links: IfExpr[], unused: boolean, exp?: Ty): TExpr {
  const first = links[0];
  const finalElse = links[links.length - 1].else;
  const unitPattern = (span: Span): TPattern => ({ kind: "wild", type: asType(UNIT), span }) as TPattern;
  const arms: TMatchArm[] = [];
  let want = exp;
  let ty: Ty | undefined;
  for (const link of links) {
    const guard = checkCondition(cx, link.cond);
    const body = cx.checkBlock(link.then, finalElse ? want : undefined);
    if (!finalElse) {
      const bt = resolve(T(body));
      if (bt.kind !== "unit" && bt.kind !== "never" && bt.kind !== "error" && body.tail && !unify(bt, UNIT)) {
        cx.err(Codes.Mismatch, `\`if\` without \`else\` must have type (), found ${show(bt)}; add an else branch or end the block with ';'`, body.tail.span);
      }
    } else if (!unused) {
      ty = ty === undefined ? T(body) : joinBranchTypes(cx, ty, T(body), link.span);
      if (want === undefined && resolve(ty).kind !== "never") want = ty;
    }
    arms.push({ pattern: unitPattern(link.span), guard, body, span: link.then.span });
  }
  let rest: TExpr;
  if (!finalElse) rest = { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: first.span } as TBlock;
  else if (unused) rest = checkUnusedToo(cx, finalElse);
  else {
    rest = cx.checkExpr(finalElse, want);
    ty = joinBranchTypes(cx, ty ?? NEVER, T(rest), finalElse.span);
  }
  arms.push({ pattern: unitPattern(finalElse?.span ?? first.span), body: rest, span: finalElse?.span ?? first.span });
  if (!finalElse) ty = UNIT;
  else if (unused) {
    const bodies = arms.map((a) => a.body);
    if (armsAgree(bodies)) {
      const live = bodies.find((b) => resolve(T(b)).kind !== "never");
      ty = live ? T(live) : NEVER;
    } else {
      for (const a of arms) a.body = discardValue(a.body);
      ty = UNIT;
    }
  }
  const scrutinee = mk({ kind: "unit" }, UNIT, first.span);
  return mk({ kind: "match", scrutinee, arms }, ty ?? UNIT, first.span);
}

export function checkIfLet(cx: CheckContext, e: Expr & { kind: "ifLet" }, exp?: Ty): TExpr {
  const unused = valueUnused(cx, e) && e.else !== undefined;
  const scrut = cx.checkExpr(e.value);
  cx.b.pushScope();
  const pattern = cx.checkPattern(e.pattern, T(scrut), false);
  aliasBindingsThroughMutRef(cx.b.fn, scrut, pattern);
  const then = cx.checkBlock(e.then, e.else ? exp : undefined);
  // Owned pattern bindings die with the then-branch.
  then.drops = [...cx.b.popScope(), ...then.drops];
  let elseBody: TExpr;
  let thenBody: TExpr = then;
  let ty: Ty = UNIT;
  if (unused && e.else) {
    elseBody = checkUnusedToo(cx, e.else);
    if (armsAgree([then, elseBody])) ty = joinTypes(cx, then, elseBody, e.else.span);
    else [thenBody, elseBody] = [discardValue(then), discardValue(elseBody)];
  } else {
    if (e.else) elseBody = cx.checkExpr(e.else, exp ?? T(then));
    else elseBody = { kind: "block", stmts: [], drops: [], type: asType(UNIT), span: e.span } as TBlock;
    if (e.else) ty = joinTypes(cx, then, elseBody, e.else.span);
  }
  if (!e.else && then.tail && !unify(T(then), UNIT) && resolve(T(then)).kind !== "never") {
    cx.err(Codes.Mismatch, `\`if let\` without \`else\` must have type (), found ${show(T(then))}`, then.tail.span);
  }
  const arms: TMatchArm[] = [
    { pattern, body: thenBody, span: e.then.span },
    { pattern: { kind: "wild", type: scrut.type, span: e.span } as TPattern, body: elseBody, span: e.span },
  ];
  return mk({ kind: "match", scrutinee: scrut, arms }, ty, e.span);
}

export function checkWhile(cx: CheckContext, e: Expr & { kind: "while" }): TExpr {
  const cond = checkCondition(cx, e.cond);
  const ctx: LoopCtx = { id: cx.b.newLoopId(), label: e.label, kind: "while", hasBreak: false };
  const body = withLoop(cx, ctx, () => checkLoopBody(cx, e.body));
  unitBody(cx, body);
  return mk({ kind: "while", loopId: ctx.id, cond, body }, UNIT, e.span);
}

export function withLoop<R>(cx: CheckContext, ctx: LoopCtx, f: () => R): R {
  cx.b.loops.push(ctx);
  try {
    return f();
  } finally {
    cx.b.loops.pop();
  }
}

export function unitBody(cx: CheckContext, body: TBlock): void {
  if (body.tail && !unify(T(body), UNIT) && resolve(T(body)).kind !== "never") {
    cx.err(Codes.Mismatch, `mismatched types: expected (), found ${show(T(body))}; a loop body's value is discarded — end it with ';'`, body.tail.span);
  }
}

export function checkWhileLet(cx: CheckContext, e: Expr & { kind: "whileLet" }): TExpr {
  // while let P = v { body }  ==>  loop { match v { P => body, _ => break } }
  const ctx: LoopCtx = { id: cx.b.newLoopId(), label: e.label, kind: "loop", breakTy: UNIT, hasBreak: true };
  const inner = withLoop(cx, ctx, () => {
    const scrut = cx.checkExpr(e.value);
    cx.b.pushScope();
    const pattern = cx.checkPattern(e.pattern, T(scrut), false);
    aliasBindingsThroughMutRef(cx.b.fn, scrut, pattern);
    const body = checkLoopBody(cx, e.body);
    unitBody(cx, body);
    body.drops = [...cx.b.popScope(), ...body.drops];
    const brk = mk({ kind: "break", target: ctx.id }, NEVER, e.span);
    const arms: TMatchArm[] = [
      { pattern, body, span: e.body.span },
      { pattern: { kind: "wild", type: scrut.type, span: e.span } as TPattern, body: brk, span: e.span },
    ];
    return mk({ kind: "match", scrutinee: scrut, arms }, UNIT, e.span);
  });
  const body: TBlock = { kind: "block", stmts: [{ kind: "expr", expr: inner, span: e.span }], drops: [], type: asType(UNIT), span: e.span };
  return mk({ kind: "loop", loopId: ctx.id, body }, UNIT, e.span);
}

export function checkLoop(cx: CheckContext, e: Expr & { kind: "loop" }, exp?: Ty): TExpr {
  const ctx: LoopCtx = { id: cx.b.newLoopId(), label: e.label, kind: "loop", breakTy: exp ?? freshVar(), hasBreak: false };
  const body = withLoop(cx, ctx, () => checkLoopBody(cx, e.body));
  unitBody(cx, body);
  return mk({ kind: "loop", loopId: ctx.id, body }, ctx.hasBreak ? ctx.breakTy! : NEVER, e.span);
}

export function findLoop(cx: CheckContext, label: string | undefined, span: Span, isContinue: boolean): LoopCtx | undefined {
  const loops = cx.b.loops;
  for (let i = loops.length - 1; i >= 0; i--) {
    const l = loops[i];
    if (label === undefined) {
      if (l.kind === "block") continue;
      return l;
    }
    if (l.label === label) {
      if (isContinue && l.kind === "block") {
        cx.err(Codes.BadBreak, `\`continue\` cannot target the labeled block '${label}'`, span);
        return undefined;
      }
      return l;
    }
  }
  if (label !== undefined) cx.err(Codes.BadBreak, `use of undeclared label '${label}'`, span);
  else cx.err(Codes.BadBreak, `\`${isContinue ? "continue" : "break"}\` outside of a loop`, span);
  return undefined;
}

export function checkBreak(cx: CheckContext, e: Expr & { kind: "break" }): TExpr {
  const target = findLoop(cx, e.label, e.span, false);
  let value: TExpr | undefined;
  if (e.value) {
    if (target && (target.kind === "while" || target.kind === "for") && e.label !== undefined) {
      // karac accepts `break label value` out of a labelled `while` / `for` (syntax.md §5.7). Such a
      // loop is a statement of type (): the value is evaluated and discarded, then the loop exits.
      const discarded = cx.checkExpr(e.value);
      target.hasBreak = true;
      const exit = mk({ kind: "break", target: target.id }, NEVER, e.span);
      const block: TBlock = { kind: "block", stmts: [{ kind: "expr", expr: discarded, span: e.value.span }], tail: exit, drops: [], type: asType(NEVER), span: e.span };
      return block;
    }
    if (target && (target.kind === "while" || target.kind === "for")) {
      cx.err(Codes.BadBreak, "`break` with a value is only allowed in `loop`, labeled blocks and labelled loops", e.value.span);
      cx.checkExpr(e.value);
    } else {
      value = cx.own(cx.checkExpr(e.value, target?.breakTy));
      if (target) value = cx.coerce(value, target.breakTy!, e.value.span);
    }
  } else if (target && target.kind === "loop" && target.breakTy) {
    if (!unify(target.breakTy, UNIT)) cx.mismatch(target.breakTy, UNIT, e.span);
  }
  if (target) target.hasBreak = true;
  return mk({ kind: "break", target: target?.id ?? 0, value }, NEVER, e.span);
}

export function checkFor(cx: CheckContext, e: Expr & { kind: "for" }): TExpr {
  const ctx: LoopCtx = { id: cx.b.newLoopId(), label: e.label, kind: "for", hasBreak: false };
  let iterE = storedIterMutHead(e.iter);
  // `for x in v.iter()` iterates like `for x in v`.
  if (iterE.kind === "methodCall" && iterE.method.name === "iter" && iterE.args.length === 0) {
    const pt = cx.probeType(iterE.receiver);
    const r = pt ? resolve(pt) : undefined;
    if (r && (r.kind === "vec" || r.kind === "array" || r.kind === "slice")) iterE = iterE.receiver;
  }
  if (iterE.kind === "methodCall" && iterE.method.name === "chars" && iterE.args.length === 0 && !cx.isTypeLike(iterE.receiver)) {
    const pt = cx.probeType(iterE.receiver);
    if (!pt || resolve(pt).kind === "string") iterE = iterE.receiver;
  }
  // Iterator pipelines with adaptors (map/filter/enumerate/take/skip) lower to loops.
  {
    const pl = splitPipeline(cx, iterE);
    if (pl && pl.steps.length) return new PipelineLowering(cx).lowerFor(pl, e.pattern, e.body, e.label, e.span);
  }
  // Range adaptors: (a..b).rev(), (a..b).step_by(k), (a..b).rev().step_by(k).
  let reverse = false;
  let stepE: Expr | undefined;
  let adaptorError = false;
  {
    const chain: (Expr & { kind: "methodCall" })[] = [];
    let base: Expr = iterE;
    while (base.kind === "methodCall" && (base.method.name === "rev" || base.method.name === "step_by")) {
      chain.unshift(base);
      base = base.receiver;
    }
    if (base.kind === "range" && chain.length) {
      const names = chain.map((c) => c.method.name).join(",");
      if (names === "rev" || names === "step_by" || names === "rev,step_by") {
        for (const c of chain) {
          if (c.method.name === "rev") {
            if (c.args.length) cx.err(Codes.ArgCount, "rev() takes no arguments", c.span);
            reverse = true;
          } else if (c.args.length !== 1) {
            cx.err(Codes.ArgCount, "step_by takes 1 argument", c.span);
            adaptorError = true;
          } else stepE = c.args[0].value;
        }
      } else {
        cx.err(Codes.Unsupported, `this range adaptor chain (${names}) is not supported yet; use .rev() before .step_by(n)`, iterE.span);
        adaptorError = true;
      }
      iterE = base;
    }
  }
  let iter: TForIter | undefined;
  // A range value that is not a place is bound here first, so its bounds are read once.
  let rangeTemp: (TStmt & { kind: "let" }) | undefined;
  // `for x in v.iter_mut()`: element variables are `mut ref`s (check/iter-mut.ts).
  let iterMutH: ReturnType<typeof iterMutHead>;
  let iterMut: IterMutLoop | undefined;
  cx.b.pushScope();
  if (iterE.kind === "range" && iterE.lo && iterE.hi) {
    const lo = cx.checkExpr(iterE.lo);
    const hi = cx.checkExpr(iterE.hi, T(lo));
    let l = lo;
    if (resolve(T(lo)).kind === "var" && resolve(T(hi)).kind === "int" && iterE.lo.kind === "int") l = cx.checkExpr(iterE.lo, T(hi));
    if (!unify(T(l), T(hi))) cx.mixError(T(l), T(hi), iterE.span);
    // The loop variable is a binding: like `let`, a range of bare literals is i64 from here on,
    // so a float operand in the body is a mixed-type error rather than turning the range into f64.
    defaultLiterals(T(l));
    const elem = T(l);
    if (!isIntLike(elem) && !isError(elem)) cx.err(Codes.BadOperand, `cannot iterate over a range of ${show(elem)}`, iterE.span);
    const variable = cx.checkPattern(e.pattern, elem, false);
    const step = stepE ? cx.expectArg(stepE, I64) : undefined;
    iter = { kind: "range", variable, lo: l, hi, inclusive: iterE.inclusive, elem: asType(adaptorError ? ERROR : elem), reverse };
    if (step) iter.step = step;
  } else if ((iterMutH = iterMutHead(iterE))) {
    iterMut = checkIterMutFor(cx, iterMutH, e.pattern, iterE.span);
    iter = iterMut.iter;
  } else {
    const coll = cx.checkExpr(iterE);
    const ct = resolve(T(coll));
    if (ct.kind === "vec" || ct.kind === "array" || ct.kind === "slice") {
      const variable = cx.checkPattern(e.pattern, ct.elem, false);
      // An iterator value keeps its items last first (builtin-methods/iterators.ts).
      const items = ct.kind === "vec" && ct.iter ? mk({ kind: "builtin", op: "iter.to_vec", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(ct.elem)] }, { kind: "vec", elem: ct.elem }, coll.span) : coll;
      iter = { kind: "seq", variable, coll: items, collKind: ct.kind, elem: asType(ct.elem) };
    } else if (ct.kind === "string") {
      const variable = cx.checkPattern(e.pattern, CHAR, false);
      iter = { kind: "chars", variable, string: coll };
    } else if (ct.kind === "map") {
      const variable = cx.checkPattern(e.pattern, { kind: "tuple", elems: [ct.key, ct.value] }, false);
      const elemTy: Ty = { kind: "tuple", elems: [ct.key, ct.value] };
      const snap = mk({ kind: "builtin", op: "map.entries", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(ct.key), asType(ct.value)] }, { kind: "vec", elem: elemTy }, coll.span);
      iter = { kind: "seq", variable, coll: snap, collKind: "vec", elem: asType(elemTy) };
    } else if (ct.kind === "set") {
      const variable = cx.checkPattern(e.pattern, ct.elem, false);
      const snap = mk({ kind: "builtin", op: "set.to_vec", receiver: { kind: "value", value: coll }, args: [], typeArgs: [asType(ct.elem)] }, { kind: "vec", elem: ct.elem }, coll.span);
      iter = { kind: "seq", variable, coll: snap, collKind: "vec", elem: asType(ct.elem) };
    } else if (ct.kind === "range" && coll.kind !== "range") {
      // A range value is the pair of its bounds (check/types.ts zonk): walk from the first to the second.
      const variable = cx.checkPattern(e.pattern, ct.elem, false);
      let base: TPlace;
      // A local is read in place; any other place is copied once (its nodes cannot appear twice).
      if (coll.kind === "read" && coll.place.kind === "local") base = coll.place;
      else {
        const id = cx.b.newLocal("$range", ct, "temp", false, "owned", coll.span);
        rangeTemp = { kind: "let", pattern: { kind: "bind", local: id, type: asType(ct), span: coll.span } as TPattern, init: coll, span: coll.span };
        base = { kind: "local", local: id, type: asType(ct), span: coll.span };
      }
      const bound = (i: number): TExpr => mk({ kind: "read", place: { kind: "tupleField", base: { ...base }, index: i, type: asType(ct.elem), span: coll.span } }, ct.elem, coll.span);
      iter = { kind: "range", variable, lo: bound(0), hi: bound(1), inclusive: ct.inclusive, elem: asType(ct.elem), reverse: false };
    } else if (ct.kind === "range") {
      const variable = cx.checkPattern(e.pattern, ct.elem, false);
      iter = { kind: "other", variable, iter: coll, elem: asType(ct.elem) };
    } else {
      if (ct.kind === "var") cx.err(Codes.NeedsAnnotation, "type annotations needed: cannot tell what this loop iterates over", iterE.span);
      else if (ct.kind !== "error") cx.err(Codes.Mismatch, `cannot iterate over a value of type ${show(ct)}`, iterE.span);
      const variable = cx.checkPattern(e.pattern, ERROR, false);
      iter = { kind: "other", variable, iter: coll, elem: asType(ERROR) };
    }
  }
  const body = withLoop(cx, ctx, () => checkLoopBody(cx, e.body));
  unitBody(cx, body);
  const patDrops = cx.b.popScope();
  body.drops = [...patDrops, ...body.drops];
  if (iterMut) body.stmts.unshift(...iterMut.prefix);
  const loop = mk({ kind: "for", loopId: ctx.id, iter, body }, UNIT, e.span);
  if (iterMut && iterMut.pre.length) {
    return { kind: "block", stmts: [...iterMut.pre, { kind: "expr", expr: loop, span: e.span }], drops: iterMut.drops, type: asType(UNIT), span: e.span } as TExpr;
  }
  if (!rangeTemp) return loop;
  const tempId = (rangeTemp.pattern as { local: LocalId }).local;
  return { kind: "block", stmts: [rangeTemp, { kind: "expr", expr: loop, span: e.span }], drops: [tempId], type: asType(UNIT), span: e.span } as TExpr;
}

export function checkMatch(cx: CheckContext, e: Expr & { kind: "match" }, exp?: Ty): TExpr {
  if (valueUnused(cx, e)) return checkMatchStatement(cx, e);
  const scrut = cx.checkExpr(e.scrutinee);
  const arms: TMatchArm[] = [];
  let ty: Ty | undefined = exp;
  let first: TExpr | undefined;
  for (const a of e.arms) {
    cx.b.pushScope();
    const pattern = cx.checkPattern(a.pattern, T(scrut), false);
    aliasBindingsThroughMutRef(cx.b.fn, scrut, pattern);
    let guard: TExpr | undefined;
    if (a.guard) guard = checkCondition(cx, a.guard);
    const body = cx.checkExpr(a.body, ty);
    const drops = cx.b.popScope();
    const wrapped: TExpr = drops.length ? ({ kind: "block", stmts: [], tail: body, drops, type: body.type, span: body.span } as TBlock) : body;
    arms.push({ pattern, guard, body: wrapped, span: a.span });
    const bt = resolve(T(body));
    if (bt.kind === "never") continue;
    if (!first) {
      first = body;
      if (ty === undefined) ty = T(body);
      else if (!unify(ty, T(body))) cx.err(Codes.Mismatch, `match arms have incompatible types: expected ${show(ty)}, found ${show(T(body))}`, a.body.span);
    } else if (!unify(ty!, T(body))) {
      cx.err(Codes.Mismatch, `match arms have incompatible types: expected ${show(ty!)}, found ${show(T(body))}`, a.body.span);
    }
  }
  return mk({ kind: "match", scrutinee: scrut, arms }, first ? ty! : NEVER, e.span);
}

export function checkTry(cx: CheckContext, e: Expr & { kind: "try" }): TExpr {
  if (cx.b.deferDepth > 0) {
    cx.err(Codes.BadTry, "the `?` operator is not allowed inside `defer`", e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const v = cx.checkExpr(e.expr);
  const t = resolve(T(v));
  if (t.kind === "error") return mk({ kind: "error" }, ERROR, e.span);
  const info = t.kind === "enum" ? cx.table.enums.get(t.name) : undefined;
  if (t.kind !== "enum" || !info || (info.prelude !== "option" && info.prelude !== "result")) {
    cx.err(Codes.BadTry, `the \`?\` operator applies to Option or Result values, found ${show(t)}`, e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  // In a par branch `?` leaves through the branch to the enclosing function (escapeRet).
  const ret = cx.b.escapeRet();
  const want: Ty = info.prelude === "option" ? cx.optionOf(freshVar()) : cx.resultOf(freshVar(), t.args[1]);
  // `?` converts the error through the caller's error type's `impl From[E]`, as in karac.
  let convert: FnInfo | undefined;
  if (!unify(ret, want)) {
    const r = resolve(ret);
    const rinfo = r.kind === "enum" ? cx.table.enums.get(r.name) : undefined;
    convert = info.prelude === "result" && rinfo?.prelude === "result" ? errorConversion(cx, t.args[1], (r as { args: Ty[] }).args[1]) : undefined;
    if (convert) {
      // the error converts; the value types are independent
    } else if (info.prelude === "result" && rinfo?.prelude === "result") {
      cx.err(Codes.BadTry, `\`?\` cannot convert the error type ${show(t.args[1])} into ${show((r as { args: Ty[] }).args[1])}`, e.span);
    } else {
      cx.err(Codes.BadTry, `the \`?\` operator on ${info.prelude === "option" ? "an Option" : "a Result"} can only be used in a function that returns ${info.prelude === "option" ? "Option" : "Result"}, not ${show(r)}`, e.span);
    }
    if (!convert) return mk({ kind: "error" }, ERROR, e.span);
  }
  // Lowered to `match v { Some(x) | Ok(x) => x, None => return None, Err(e) => return Err(e) }`.
  const sp = e.span;
  const pat = (variant: number, args: TPattern[]): TPattern => ({ kind: "variant", enum: t.name, variant, args, type: asType(t), span: sp }) as TPattern;
  const bindLocal = (name: string, ty: Ty): { id: LocalId; pattern: TPattern; read: TExpr } => {
    const id = cx.b.newLocal(name, ty, "let", false, "owned", sp);
    const place: TPlace = { kind: "local", local: id, type: asType(ty), span: sp };
    return { id, pattern: { kind: "bind", local: id, type: asType(ty), span: sp } as TPattern, read: mk({ kind: "read", place }, ty, sp) };
  };
  const ok = bindLocal("$ok", t.args[0]);
  const okArm: TMatchArm = { pattern: pat(0, [ok.pattern]), body: cx.own(ok.read), span: sp };
  let failArm: TMatchArm;
  if (info.prelude === "option") {
    const none = mk({ kind: "variant", enum: "Option", variant: 1, payload: [] }, ret, sp);
    failArm = { pattern: pat(1, []), body: mk({ kind: "return", value: none, escape: cx.parEscape(ret, sp) }, NEVER, sp), span: sp };
  } else {
    const er = bindLocal("$err", t.args[1]);
    const payload = convert ? convertedError(cx, convert, er.read, sp) : cx.own(er.read);
    const err = mk({ kind: "variant", enum: "Result", variant: 1, payload: [payload] }, ret, sp);
    failArm = { pattern: pat(1, [er.pattern]), body: mk({ kind: "return", value: err, escape: cx.parEscape(ret, sp) }, NEVER, sp), span: sp };
  }
  return mk({ kind: "match", scrutinee: v, arms: [okArm, failArm] }, t.args[0], sp);
}

/** A `match` whose value is unused: arms are checked alone; when their types differ, each value is discarded. */
function checkMatchStatement(cx: CheckContext, e: Expr & { kind: "match" }): TExpr {
  const scrut = cx.checkExpr(e.scrutinee);
  const arms: TMatchArm[] = [];
  const bodies: TExpr[] = [];
  for (const a of e.arms) {
    cx.b.pushScope();
    const pattern = cx.checkPattern(a.pattern, T(scrut), false);
    aliasBindingsThroughMutRef(cx.b.fn, scrut, pattern);
    let guard: TExpr | undefined;
    if (a.guard) guard = checkCondition(cx, a.guard);
    const body = cx.checkExpr(a.body);
    const drops = cx.b.popScope();
    bodies.push(body);
    arms.push({ pattern, guard, body, span: a.span, drops } as TMatchArm & { drops: LocalId[] });
  }
  const agree = armsAgree(bodies);
  const live = bodies.find((b) => resolve(T(b)).kind !== "never");
  const ty = !live ? NEVER : agree ? T(live) : UNIT;
  const out = arms.map((arm) => {
    const { drops, ...rest } = arm as TMatchArm & { drops: LocalId[] };
    const body = agree ? rest.body : discardValue(rest.body);
    const wrapped: TExpr = drops.length ? ({ kind: "block", stmts: [], tail: body, drops, type: body.type, span: body.span } as TBlock) : body;
    return { ...rest, body: wrapped };
  });
  return mk({ kind: "match", scrutinee: scrut, arms: out }, ty, e.span);
}
