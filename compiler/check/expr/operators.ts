// Unary and binary operators, user comparisons through `impl PartialEq`/`Ord`, `as` casts.

import type { Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { asType } from "../builder.js";
import { checkCoalesce, checkPipe } from "../operators-optional.js";
import { compareValues } from "../comparisons.js";
import type { BinOp, TExpr } from "../../tir/nodes.js";
import { BOOL, ERROR, STRING, isError, isIntLike, isNumLike, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";

export function mixError(cx: CheckContext, a: Ty, b: Ty, span: Span): void {
  const ra = resolve(a);
  const rb = resolve(b);
  if (ra.kind === "error" || rb.kind === "error") return;
  if (ra.kind === "int" && rb.kind === "int") {
    cx.err(Codes.MixedTypes, `cannot mix integer types ${ra.name} and ${rb.name}; convert one side with \`as\``, span);
  } else if (isNumLike(ra) && isNumLike(rb)) {
    cx.err(Codes.MixedTypes, `cannot mix numeric types ${show(ra)} and ${show(rb)}; convert one side with \`as\``, span);
  } else {
    cx.err(Codes.Mismatch, `mismatched types: ${show(ra)} and ${show(rb)}`, span);
  }
}

/** Operand rule for arithmetic/bitwise ops: identical types (only literals adapt). Returns the operand type. */
export function binaryOperands(cx: CheckContext, op: BinOp, lt: Ty, rt: Ty, span: Span, _rspan: Span): Ty {
  if (!unify(lt, rt)) {
    mixError(cx, lt, rt, span);
    return ERROR;
  }
  const t = resolve(lt);
  if (t.kind === "error") return ERROR;
  const arith = op === "+" || op === "-" || op === "*" || op === "/" || op === "%";
  // A type parameter takes the operators its bounds name (`T: Add`) in a body checked at its definition.
  if (t.kind === "param") {
    if (paramHasOperator(t, op)) return t;
    cx.err(Codes.BadOperand, `operator \`${op}\` cannot be applied to type parameter ${t.name}: add a bound such as ${OPERATOR_BOUND[op] ?? "Add"}`, span);
    return ERROR;
  }
  const ok = arith
    ? t.kind === "int" || t.kind === "float" || (t.kind === "var" && t.lit !== undefined)
    : t.kind === "int" || (t.kind === "var" && t.lit === "int") || (t.kind === "bool" && (op === "&" || op === "|" || op === "^"));
  if (!ok) {
    cx.err(Codes.BadOperand, `operator \`${op}\` cannot be applied to ${show(t)}`, span);
    return ERROR;
  }
  return t;
}

/** The operator trait of each arithmetic or bitwise operator. */
const OPERATOR_BOUND: Record<string, string> = { "+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem", "&": "BitAnd", "|": "BitOr", "^": "BitXor", "<<": "Shl", ">>": "Shr" };

/** Bounds naming a numeric type class, which take every arithmetic operator. */
const NUMERIC_BOUNDS = new Set(["Num", "Numeric", "Number", "Integer", "Float", "Arithmetic"]);

function paramHasOperator(t: Ty & { kind: "param" }, op: BinOp): boolean {
  const arith = op === "+" || op === "-" || op === "*" || op === "/" || op === "%";
  return t.bounds.some((b) => b === OPERATOR_BOUND[op] || (arith && NUMERIC_BOUNDS.has(b)));
}

type SourceOp = (Expr & { kind: "binary" })["op"];
/** A binary node whose left operand is checked first and handed to `combineBinary` (not `??`, `|>`). */
type ChainNode = Expr & { kind: "binary"; op: Exclude<SourceOp, "??" | "|>"> };
const isChainNode = (x: Expr): x is ChainNode => x.kind === "binary" && x.op !== "??" && x.op !== "|>";
const isComparison = (op: SourceOp): boolean => op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";

/** The type a binary node's context suggests to its left operand. */
function leftExpected(op: SourceOp, exp: Ty | undefined): Ty | undefined {
  if (op === "and" || op === "or") return BOOL;
  return !isComparison(op) && exp && (exp.kind === "int" || exp.kind === "float") ? exp : undefined;
}

/**
 * Binary operators. A left-deep chain (`a + b + … + z`, a long `and` chain, string concatenation)
 * is walked down its left spine in a loop and combined bottom-up, so its length costs no stack.
 */
export function checkBinary(cx: CheckContext, e: Expr & { kind: "binary" }, exp?: Ty): TExpr {
  if (!isChainNode(e)) return e.op === "??" ? checkCoalesce(cx, e, exp) : checkPipe(cx, e, exp);
  const spine: ChainNode[] = [];
  let cur: Expr = e;
  let curExp = exp;
  while (isChainNode(cur)) {
    spine.push(cur);
    const next = leftExpected(cur.op, curExp);
    curExp = next ? resolve(next) : undefined;
    cur = cur.left;
  }
  let left = cx.checkExpr(cur, curExp);
  for (let i = spine.length - 1; i >= 0; i--) left = combineBinary(cx, spine[i], left);
  return left;
}

/** One binary node whose left operand `l` is already checked. */
function combineBinary(cx: CheckContext, e: ChainNode, l: TExpr): TExpr {
  const op = e.op;
  if (op === "and" || op === "or") {
    const r = cx.checkExpr(e.right, BOOL);
    if (!unify(T(l), BOOL)) cx.err(Codes.BadOperand, `\`${op}\` needs bool operands, found ${show(T(l))}`, e.left.span);
    if (!unify(T(r), BOOL)) cx.err(Codes.BadOperand, `\`${op}\` needs bool operands, found ${show(T(r))}`, e.right.span);
    return mk({ kind: "logical", op, left: l, right: r }, BOOL, e.span);
  }
  const cmp = isComparison(op);
  const r = cx.checkExpr(e.right, T(l));
  // An untyped literal on the left adopts the right operand's type (`1 + x`).
  if (resolve(T(l)).kind === "var" && (resolve(T(r)).kind === "int" || resolve(T(r)).kind === "float") && e.left.kind === "int" && !e.left.suffix) {
    l = cx.checkExpr(e.left, T(r));
  }
  if (cmp) return compareValues(cx, op, l, r, e.span);
  if (op === "+" && resolve(T(l)).kind === "string") {
    if (!unify(T(r), STRING)) {
      cx.mismatch(STRING, T(r), e.right.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    return mk({ kind: "binary", op, left: l, right: r, operand: asType(STRING) }, STRING, e.span);
  }
  const t = binaryOperands(cx, op, T(l), T(r), e.span, e.right.span);
  if (isError(t)) return mk({ kind: "error" }, ERROR, e.span);
  return mk({ kind: "binary", op, left: l, right: r, operand: asType(t) }, t, e.span);
}

export function checkUnary(cx: CheckContext, e: Expr & { kind: "unary" }, exp?: Ty): TExpr {
  if (e.op === "-") {
    // Fold negative literals so `-128i8` and `i64` minimum literals type-check.
    if (e.operand.kind === "int") {
      const lit = cx.checkExpr({ ...e.operand, value: -e.operand.value }, exp);
      if (lit.kind === "float") lit.value = -Number(e.operand.value);
      // A negative literal in an unsigned slot is reported by the range check.
      lit.span = e.span;
      return lit;
    }
    if (e.operand.kind === "float") {
      const lit = cx.checkExpr(e.operand, exp);
      if (lit.kind === "float") lit.value = -lit.value;
      lit.span = e.span;
      return lit;
    }
    const v = cx.checkExpr(e.operand, exp);
    const t = resolve(T(v));
    if (t.kind === "error") return v;
    if (!(t.kind === "float" || (t.kind === "int" && t.signed) || (t.kind === "var" && t.lit))) {
      cx.err(Codes.BadUnaryOperand, `cannot negate a value of type ${show(t)}`, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    return mk({ kind: "unary", op: "neg", operand: v }, t, e.span);
  }
  if (e.op === "not") {
    const v = cx.checkExpr(e.operand, BOOL);
    if (!unify(T(v), BOOL)) cx.err(Codes.BadUnaryOperand, `\`not\` needs a bool operand, found ${show(T(v))}`, e.operand.span);
    return mk({ kind: "unary", op: "not", operand: v }, BOOL, e.span);
  }
  if (e.op === "~") {
    const v = cx.checkExpr(e.operand, exp);
    if (!isIntLike(T(v)) && !isError(T(v))) cx.err(Codes.BadUnaryOperand, `\`~\` needs an integer operand, found ${show(T(v))}`, e.operand.span);
    return mk({ kind: "unary", op: "bitnot", operand: v }, T(v), e.span);
  }
  // `*r`: references auto-deref; an explicit deref is the value itself.
  return cx.checkExpr(e.operand, exp);
}

export function checkCast(cx: CheckContext, e: Expr & { kind: "cast" }): TExpr {
  const to = cx.resolveTy(e.type);
  const v = cx.checkExpr(e.expr);
  const from = resolve(T(v));
  const t = resolve(to);
  if (from.kind === "error" || t.kind === "error") return mk({ kind: "error" }, ERROR, e.span);
  const num = (x: Ty): boolean => x.kind === "int" || x.kind === "float" || (x.kind === "var" && x.lit !== undefined);
  let ok = false;
  if (num(from) && num(t)) ok = true;
  else if (from.kind === "bool" && t.kind === "int") ok = true;
  else if (from.kind === "char" && t.kind === "int") ok = t.bits >= 32;
  // Every byte is a Unicode scalar (U+0000..U+00FF), so `u8 as char` is the one integer cast into
  // char karac accepts; wider integers go through the fallible `char.try_from(n)`.
  else if (from.kind === "int" && !from.signed && from.bits === 8 && t.kind === "char") ok = true;
  else if (from.kind === t.kind && (from.kind === "bool" || from.kind === "char" || from.kind === "string")) ok = true;
  if (!ok) {
    let msg = `cannot cast ${show(from)} as ${show(t)}`;
    if (from.kind === "char" && t.kind === "int") msg += "; use `c as u32` and narrow from there";
    if (t.kind === "char" && (from.kind === "int" || (from.kind === "var" && from.lit === "int"))) msg += "; use char.try_from(n)";
    cx.err(Codes.InvalidCast, msg, e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  return mk({ kind: "cast", value: v, from: asType(T(v)), to: asType(t) }, t, e.span);
}
