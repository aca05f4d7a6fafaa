// Integer and float methods beyond arithmetic (karac's scalar method surface): bit queries and
// permutations, int <-> float conversions, the float -> int conversion families, float math, and
// the `overflowing_*` family, which is built here from `wrapping_*` and `checked_*` so codegen
// needs nothing extra for it.

import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import type { BuiltinOp, LocalId, TBlock, TExpr, TExprNode, TPattern, TStmt } from "../../tir/nodes.js";
import { BOOL, U32, intTy, isIntName, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";

type IntTy = Extract<Ty, { kind: "int" }>;
type FloatTy = Extract<Ty, { kind: "float" }>;

/** The unsigned integer type of t's width (abs_diff's result). */
function unsignedOf(t: IntTy): Ty {
  return intTy(`u${t.bits}` as IntTy["name"]);
}

/** `f.<family>_to_<int>()`: the family's op and the target type, if `m` names one. */
export function floatToIntMethod(m: string): { op: BuiltinOp; target: IntTy } | undefined {
  const hit = /^(saturating|wrapping|checked|trunc)_to_([iu](?:8|16|32|64))$/.exec(m);
  if (!hit || !isIntName(hit[2])) return undefined;
  return { op: `float.${hit[1]}_to` as BuiltinOp, target: intTy(hit[2]) as IntTy };
}

export function checkIntMethodMore(cx: CheckContext, s: MethodSite, rt: IntTy): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  const same = (k: number): TExpr => cx.expectArg(args[k].value, rt);
  switch (m) {
    case "abs_diff":
      if (!arity(1)) return fail();
      return b("int.abs_diff", asValue, [same(0)], unsignedOf(rt), [rt]);
    case "count_ones":
    case "count_zeros":
    case "leading_zeros":
    case "trailing_zeros":
      if (!arity(0)) return fail();
      return b(`int.${m}`, asValue, [], U32, [rt]);
    case "is_power_of_two":
    case "next_power_of_two":
      if (rt.signed) return undefined;
      if (!arity(0)) return fail();
      return b(`int.${m}`, asValue, [], m === "is_power_of_two" ? BOOL : rt, [rt]);
    case "reverse_bits":
    case "swap_bytes":
      if (!arity(0)) return fail();
      return b(`int.${m}`, asValue, [], rt, [rt]);
    case "rotate_left":
    case "rotate_right":
      if (!arity(1)) return fail();
      return b(`int.${m}`, asValue, [cx.expectArg(args[0].value, U32)], rt, [rt]);
    case "to_f64":
    case "to_f32": {
      if (!arity(0)) return fail();
      const ft: Ty = { kind: "float", bits: m === "to_f64" ? 64 : 32 };
      return b("int.to_float", asValue, [], ft, [rt]);
    }
    case "bits_as_f64":
    case "bits_as_f32": {
      if (!arity(0)) return fail();
      const ft: Ty = { kind: "float", bits: m === "bits_as_f64" ? 64 : 32 };
      return b("int.bits_as_float", asValue, [], ft, [rt]);
    }
    case "is_ascii_digit":
    case "is_ascii_alphabetic":
    case "is_ascii_hexdigit":
      if (!arity(0)) return fail();
      return b(`int.${m}`, asValue, [], BOOL, [rt]);
    case "clamp":
      if (!arity(2)) return fail();
      return b("int.clamp", asValue, [same(0), same(1)], rt, [rt]);
    case "checked_div":
    case "checked_rem":
      if (!arity(1)) return fail();
      return b(`int.${m}`, asValue, [same(0)], cx.optionOf(rt), [rt]);
    case "checked_neg":
      if (!arity(0)) return fail();
      return b("int.checked_neg", asValue, [], cx.optionOf(rt), [rt]);
    case "wrapping_neg":
      if (!arity(0)) return fail();
      return b("int.wrapping_neg", asValue, [], rt, [rt]);
    case "checked_pow":
    case "wrapping_pow":
    case "saturating_pow":
      if (!arity(1)) return fail();
      return b(`int.${m}`, asValue, [cx.expectArg(args[0].value, U32)], m === "checked_pow" ? cx.optionOf(rt) : rt, [rt]);
    case "clone":
      if (!arity(0)) return fail();
      return (asValue as { value: TExpr }).value;
    case "overflowing_add":
    case "overflowing_sub":
    case "overflowing_mul":
      if (!arity(1)) return fail();
      return overflowing(cx, s, rt, m.slice("overflowing_".length) as "add" | "sub" | "mul", same(0));
  }
  return undefined;
}

/**
 * `x.overflowing_op(y)` => `{ let a = x; let b = y; (a.wrapping_op(b), a.checked_op(b).is_none()) }`:
 * the wrapped result and whether the exact result overflowed.
 */
function overflowing(cx: CheckContext, s: MethodSite, rt: IntTy, op: "add" | "sub" | "mul", y: TExpr): TExpr {
  const span = s.span;
  const bld = cx.b;
  bld.pushScope();
  const stmts: TStmt[] = [];
  const temp = (name: string, init: TExpr): LocalId => {
    const id = bld.newLocal(name, rt, "temp", false, "owned", span);
    bld.declare(name, id);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(rt), span } as TPattern, init, span } as TStmt);
    return id;
  };
  const a = temp("$a", (s.asValue as { value: TExpr }).value);
  const bb = temp("$b", y);
  const read = (id: LocalId): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: asType(rt), span } }, rt, span);
  const call = (name: BuiltinOp, ty: Ty): TExpr =>
    mk({ kind: "builtin", op: name, receiver: { kind: "value", value: read(a) }, args: [read(bb)], typeArgs: [asType(rt)] } as TExprNode, ty, span);
  const opt = cx.optionOf(rt);
  const wrapped = call(`int.wrapping_${op}`, rt);
  const checked = call(`int.checked_${op}`, opt);
  const overflowed = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: checked }, args: [], typeArgs: [asType(opt)] } as TExprNode, BOOL, span);
  const ty: Ty = { kind: "tuple", elems: [rt, BOOL] };
  const tuple = mk({ kind: "tuple", elems: [wrapped, overflowed] } as TExprNode, ty, span);
  const drops = bld.popScope();
  return { kind: "block", stmts, tail: tuple, drops, type: asType(ty), span } as TBlock;
}

export function checkFloatMethodMore(cx: CheckContext, s: MethodSite, rt: FloatTy): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  switch (m) {
    case "signum":
    case "recip":
    case "to_degrees":
    case "to_radians":
    case "fract":
    case "sin":
    case "cos":
    case "tan":
    case "exp":
    case "ln":
    case "log2":
      if (!arity(0)) return fail();
      return b(`float.${m}`, asValue, [], rt, [rt]);
    case "atan2":
      if (!arity(1)) return fail();
      return b("float.atan2", asValue, [cx.expectArg(args[0].value, rt)], rt, [rt]);
    case "clamp":
      if (!arity(2)) return fail();
      return b("float.clamp", asValue, [cx.expectArg(args[0].value, rt), cx.expectArg(args[1].value, rt)], rt, [rt]);
    case "total_cmp": {
      if (!arity(1)) return fail();
      const ord = cx.table.enums.get("Ordering")!;
      return b("float.total_cmp", asValue, [cx.expectArg(args[0].value, rt)], cx.table.enumTy(ord, []), [rt]);
    }
    case "to_bits":
    case "to_bits32":
      if (!arity(0)) return fail();
      return b("float.to_bits", asValue, [], intTy(m === "to_bits" ? "u64" : "u32"), [rt]);
    case "clone":
      if (!arity(0)) return fail();
      return (asValue as { value: TExpr }).value;
  }
  const conv = floatToIntMethod(m);
  if (conv) {
    if (!arity(0)) return fail();
    const ty = conv.op === "float.checked_to" ? cx.optionOf(conv.target) : conv.target;
    return b(conv.op, asValue, [], ty, [rt, conv.target]);
  }
  if (/^(saturating|wrapping|checked|trunc)_to_/.test(m)) {
    cx.err(Codes.NoMethod, `no method named '${m}' found for ${rt.bits === 64 ? "f64" : "f32"}: the target must be one of i8, i16, i32, i64, u8, u16, u32, u64`, s.e.method.span);
    cx.checkArgsLoose(args);
    return fail();
  }
  return undefined;
}
