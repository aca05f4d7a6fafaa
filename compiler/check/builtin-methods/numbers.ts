// Methods of integer and float receivers.

import type { TExpr } from "../../tir/nodes.js";
import { U32, intTy, type Ty } from "../types.js";
import type { CheckContext } from "../context.js";
import type { MethodSite } from "./site.js";
import { checkFloatMethodMore, checkIntMethodMore } from "./numbers-more.js";

/** Integer methods (`abs` only on signed types). */
export function checkIntMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "int" }>): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  const same = (): TExpr => cx.expectArg(args[0].value, rt);
  switch (m) {
    case "abs":
    case "signum":
      if (!arity(0)) return fail();
      if (!rt.signed && m === "abs") break;
      return b(`int.${m}`, asValue, [], rt, [rt]);
    case "pow":
      if (!arity(1)) return fail();
      return b("int.pow", asValue, [cx.expectArg(args[0].value, U32)], rt, [rt]);
    case "min":
    case "max":
    case "wrapping_add":
    case "wrapping_sub":
    case "wrapping_mul":
    case "saturating_add":
    case "saturating_sub":
    case "saturating_mul":
    case "rem_euclid":
    case "div_euclid":
      if (!arity(1)) return fail();
      return b(`int.${m}`, asValue, [same()], rt, [rt]);
    case "checked_add":
    case "checked_sub":
    case "checked_mul":
      if (!arity(1)) return fail();
      return b(`int.${m}`, asValue, [same()], cx.optionOf(rt), [rt]);
  }
  return checkIntMethodMore(cx, s, rt);
}

/** Float methods. */
export function checkFloatMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "float" }>): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  switch (m) {
    case "sqrt":
    case "abs":
    case "floor":
    case "ceil":
    case "round":
    case "trunc":
      if (!arity(0)) return fail();
      return b(`float.${m}`, asValue, [], rt, [rt]);
    case "min":
    case "max":
    case "pow":
      if (!arity(1)) return fail();
      return b(`float.${m}`, asValue, [cx.expectArg(args[0].value, rt)], rt, [rt]);
    case "powi":
      if (!arity(1)) return fail();
      return b("float.powi", asValue, [cx.expectArg(args[0].value, intTy("i32"))], rt, [rt]);
  }
  return checkFloatMethodMore(cx, s, rt);
}
