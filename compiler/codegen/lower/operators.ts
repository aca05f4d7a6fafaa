// Operators: comparisons, binary and unary arithmetic (integer arithmetic is checked), and
// conversions between scalar types (`as` casts and implicit coercions).

import type { BinOp, Span, TExpr, Type } from "../../tir/nodes.js";
import { f32, f64, i32, i64, type Ref } from "../ir.js";
import { checkedNeg, intMax, intMin, normalize32, type IntT } from "../runtime/arith.js";
import { STR } from "../runtime/strings.js";
import { checkedArith } from "./arith-inline.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { loopFacts } from "./loop-invariants.js";
import { cmpValue, eqValue } from "./typeops.js";

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export function compare(fl: Lowerer, op: CompareOp, t: Type, a: Ref, b: Ref): Ref {
  const { m } = fl;
  const ints = (o: typeof m.i32 | typeof m.i64, signed: boolean) => {
    switch (op) {
      case "==":
        return o.eq(a, b);
      case "!=":
        return o.ne(a, b);
      case "<":
        return signed ? o.lt_s(a, b) : o.lt_u(a, b);
      case "<=":
        return signed ? o.le_s(a, b) : o.le_u(a, b);
      case ">":
        return signed ? o.gt_s(a, b) : o.gt_u(a, b);
      case ">=":
        return signed ? o.ge_s(a, b) : o.ge_u(a, b);
    }
  };
  if (t.kind === "int") return ints(t.bits === 64 ? m.i64 : m.i32, t.signed);
  if (t.kind === "bool" || t.kind === "char") return ints(m.i32, false);
  if (t.kind === "float") {
    const o = t.bits === 64 ? m.f64 : m.f32;
    return { "==": o.eq, "!=": o.ne, "<": o.lt, "<=": o.le, ">": o.gt, ">=": o.ge }[op](a, b);
  }
  if (t.kind === "enum" && !fl.L.enumBoxed(t.name) && (op === "==" || op === "!=")) return ints(m.i32, false);
  if (op === "==") return eqValue(fl.g, t, a, b);
  if (op === "!=") return m.i32.eqz(eqValue(fl.g, t, a, b));
  const c = cmpValue(fl.g, t, a, b);
  return { "<": m.i32.lt_s, "<=": m.i32.le_s, ">": m.i32.gt_s, ">=": m.i32.ge_s }[op](c, fl.ir.c32(0));
}

export function binaryExpr(fl: Lowerer, op: BinOp, t: Type, left: TExpr, right: TExpr, span: Span): Ref {
  if (t.kind === "string" && op === "+") return fl.m.call(STR.concat, [fl.borrow(left), fl.borrow(right)], i32);
  // A loop range can prove `i + 1` / `x - c` in range (loop-invariants.ts): no overflow check.
  if (t.kind === "int" && (t.bits === 64 || t.bits === 32) && (op === "+" || op === "-") && loopFacts(fl).cannotOverflow(op, t, left, right)) {
    const o = t.bits === 64 ? fl.m.i64 : fl.m.i32;
    return op === "+" ? o.add(fl.expr(left), fl.expr(right)) : o.sub(fl.expr(left), fl.expr(right));
  }
  return binary(fl, op, t, fl.borrow(left), fl.borrow(right), span);
}

export function binary(fl: Lowerer, op: BinOp, t: Type, a: Ref, b: Ref, span: Span): Ref {
  const { m } = fl;
  switch (op) {
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return fl.compare(op, t, a, b);
  }
  if (t.kind === "int") {
    const o = t.bits === 64 ? m.i64 : m.i32;
    switch (op) {
      case "&":
        return o.and(a, b);
      case "|":
        return o.or(a, b);
      case "^":
        return o.xor(a, b);
      default:
        return checkedArith(fl, op, t, a, b, span);
    }
  }
  if (t.kind === "float") {
    const o = t.bits === 64 ? m.f64 : m.f32;
    switch (op) {
      case "+":
        return o.add(a, b);
      case "-":
        return o.sub(a, b);
      case "*":
        return o.mul(a, b);
      case "/":
        return o.div(a, b);
      case "%":
        return m.call(t.bits === 64 ? "rt_fmod64" : "rt_fmod32", [a, b], t.bits === 64 ? f64 : f32);
    }
  }
  if (t.kind === "bool") {
    if (op === "&") return m.i32.and(a, b);
    if (op === "|") return m.i32.or(a, b);
    if (op === "^") return m.i32.xor(a, b);
  }
  if (t.kind === "string" && op === "+") return m.call(STR.concat, [a, b], i32);
  throw new CodegenError(`operator ${op} on ${t.kind} is not supported`, span);
}

export function unary(fl: Lowerer, op: "neg" | "not" | "bitnot", operand: TExpr, span: Span): Ref {
  const { m, ir } = fl;
  const t = operand.type;
  const v = fl.expr(operand);
  if (op === "not") return m.i32.eqz(v);
  if (t.kind === "float") return t.bits === 64 ? m.f64.neg(v) : m.f32.neg(v);
  if (t.kind !== "int") throw new CodegenError(`unary ${op} on ${t.kind}`, span);
  if (op === "neg") return m.call(checkedNeg(fl.g, t), [v, fl.site(span)], t.bits === 64 ? i64 : i32);
  if (t.bits === 64) return m.i64.xor(v, ir.c64(-1));
  return normalize32(fl.g, t, m.i32.xor(v, ir.c32(-1)));
}

export function convert(fl: Lowerer, v: Ref, from: Type, to: Type): Ref {
  const { m, ir } = fl;
  if (from.kind === "int" && to.kind === "int") {
    if (from.bits === 64 && to.bits === 64) return v;
    if (from.bits === 64) return normalize32(fl.g, to, m.i32.wrap(v));
    if (to.bits === 64) return from.signed ? m.i64.extend_s(v) : m.i64.extend_u(v);
    return normalize32(fl.g, to, v);
  }
  if ((from.kind === "int" || from.kind === "bool" || from.kind === "char") && to.kind === "float") {
    const signed = from.kind === "int" && from.signed;
    const wide = from.kind === "int" && from.bits === 64;
    const o = to.bits === 64 ? m.f64 : m.f32;
    const c = signed ? o.convert_s : o.convert_u;
    return wide ? c.i64(v) : c.i32(v);
  }
  if (from.kind === "float" && to.kind === "int") {
    const src = from.bits === 64 ? "f64" : "f32";
    if (to.bits === 64) return (to.signed ? m.i64.trunc_s_sat : m.i64.trunc_u_sat)[src](v);
    const x = (to.signed ? m.i32.trunc_s_sat : m.i32.trunc_u_sat)[src](v);
    if (to.bits === 32) return x;
    return m.call(to.signed ? "rt_clamp_s" : "rt_clamp_u", [x, ir.c32(Number(intMin(to))), ir.c32(Number(intMax(to)))], i32);
  }
  if (from.kind === "float" && to.kind === "float") {
    if (from.bits === to.bits) return v;
    return to.bits === 64 ? m.f64.promote(v) : m.f32.demote(v);
  }
  if ((from.kind === "bool" || from.kind === "char") && to.kind === "int") {
    return to.bits === 64 ? m.i64.extend_u(v) : normalize32(fl.g, to as IntT, v);
  }
  if (to.kind === "char" && from.kind === "int") return from.bits === 64 ? m.i32.wrap(v) : v;
  return v;
}
