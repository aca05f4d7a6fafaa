// Literals (numbers adopt the type their context expects, else an inference variable that settles
// to i64/f64), ranges and tuples.

import type { Expr } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk, T } from "../context.js";
import type { TExpr } from "../../tir/nodes.js";
import { ERROR, F64, I64, freshVar, intFits, intTy, isError, isIntLike, isIntName, resolve, show, unify, type Ty } from "../types.js";

export function checkIntLiteral(cx: CheckContext, e: Expr & { kind: "int" }, exp: Ty | undefined): TExpr {
  if (e.suffix) {
    const name = e.suffix === "usize" ? "u64" : e.suffix === "isize" ? "i64" : e.suffix;
    if (name === "f64" || name === "f32") return mk({ kind: "float", value: Number(e.value) }, { kind: "float", bits: name === "f32" ? 32 : 64 }, e.span);
    if (!isIntName(name)) {
      cx.err(Codes.Unsupported, `unsupported integer suffix '${e.suffix}'`, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const lit = mk({ kind: "int", value: e.value }, intTy(name), e.span);
    checkLiteralFits(cx, lit);
    return lit;
  }
  if (exp && exp.kind === "float") return mk({ kind: "float", value: Number(e.value) }, exp, e.span);
  const lit = mk({ kind: "int", value: e.value }, exp && exp.kind === "int" ? exp : freshVar("int"), e.span);
  checkLiteralFits(cx, lit);
  return lit;
}

export function checkFloatLiteral(_cx: CheckContext, e: Expr & { kind: "float" }, exp: Ty | undefined): TExpr {
  if (e.suffix === "f32") return mk({ kind: "float", value: e.value }, { kind: "float", bits: 32 }, e.span);
  if (e.suffix === "f64") return mk({ kind: "float", value: e.value }, F64, e.span);
  if (exp && exp.kind === "float") return mk({ kind: "float", value: e.value }, exp, e.span);
  return mk({ kind: "float", value: e.value }, freshVar("float"), e.span);
}

export function checkRange(cx: CheckContext, e: Expr & { kind: "range" }, exp: Ty | undefined): TExpr {
  let lo: TExpr | undefined;
  let hi: TExpr | undefined;
  const elemExp = exp && exp.kind === "range" ? exp.elem : undefined;
  if (e.lo) lo = cx.checkExpr(e.lo, elemExp);
  if (e.hi) hi = cx.checkExpr(e.hi, lo ? T(lo) : elemExp);
  const elem = lo ? T(lo) : hi ? T(hi) : freshVar("int");
  if (lo && hi && !unify(T(lo), T(hi))) cx.mixError(T(lo), T(hi), e.span);
  if (!isIntLike(elem) && !isError(elem) && resolve(elem).kind !== "char") {
    cx.err(Codes.BadOperand, `range bounds must be integers, found ${show(elem)}`, e.span);
  }
  const ty: Ty = { kind: "range", elem, inclusive: e.inclusive };
  // A bounded range used as a value is the pair of its bounds (types.ts zonk).
  if (lo && hi) return mk({ kind: "tuple", elems: [cx.own(lo), cx.own(hi)] }, ty, e.span);
  return mk({ kind: "range", lo, hi, inclusive: e.inclusive }, ty, e.span);
}

export function checkTuple(cx: CheckContext, e: Expr & { kind: "tuple" }, exp: Ty | undefined): TExpr {
  const ex = exp && exp.kind === "tuple" && exp.elems.length === e.elems.length ? exp.elems : undefined;
  const elems = e.elems.map((x, i) => {
    const v = cx.checkExpr(x, ex?.[i]);
    return ex ? cx.coerce(cx.own(v), ex[i], x.span) : cx.own(v);
  });
  return mk({ kind: "tuple", elems }, { kind: "tuple", elems: elems.map(T) }, e.span);
}

/** Once types are solved: the literal must fit its integer type (an unsolved one defaults to i64). */
export function checkLiteralFits(cx: CheckContext, lit: TExpr): void {
  cx.deferred.push(() => {
    if (lit.kind !== "int") return;
    const t = resolve(T(lit));
    const target = t.kind === "var" && t.lit === "int" ? I64 : t;
    if (target.kind === "int" && !intFits(lit.value, target)) {
      cx.err(Codes.LiteralOutOfRange, `literal out of range for ${target.name}: ${lit.value} does not fit`, lit.span);
    }
  });
}
