// Builtin method calls: check the receiver once, then hand the call to its receiver family (one
// table entry per receiver kind); methods no family knows fall through to the helpers for less
// common methods and finally to E0236 (no such method).

import type { Expr } from "../../syntax/ast.js";
import { checkChannelMethod } from "../channels.js";
import { checkComparisonMethod } from "./comparison-methods.js";
import { checkParamMethod } from "../param-methods.js";
import { userMethodOf } from "../trait-impls.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import { checkOptionMethod } from "./option-result-more.js";
import { checkIntoCall } from "./conversions.js";
import { checkStringParse } from "./parse.js";
import { checkMoreMethods } from "./seq-algorithms.js";
import type { TExpr } from "../../tir/nodes.js";
import { ERROR, STRING, show, type Ty } from "../types.js";
import { checkAtomicMethod } from "./atomics.js";
import { checkMapMethod, checkSetMethod } from "./collections.js";
import { checkFloatMethod, checkIntMethod } from "./numbers.js";
import { checkOptionResultMethod } from "./option-result.js";
import { checkRangeMethod, checkSeqMethod } from "./sequences.js";
import { checkRangeValueMethod } from "./ranges.js";
import { displayRange } from "./range-display.js";
import { checkEntryModify } from "./entry-modify.js";
import { refuseLooseIterMut } from "./iter-mut-each.js";
import { checkSplitAt } from "./split-at.js";
import { checkStringSorted } from "./string-sorted.js";
import { checkVecMore } from "./vec-more.js";
import { checkRawPointerMethod } from "./raw-pointers.js";
import { receiverSite, type MethodSite } from "./site.js";
import { checkCharMethod, checkStringMethod } from "./strings.js";
import { checkTaskGroupMethod, checkTaskHandleMethod } from "./tasks.js";

type Family<K extends Ty["kind"]> = (cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: K }>) => TExpr | undefined;

/** Receiver kind → the family that knows its methods; undefined from a family means "not mine". */
const FAMILIES: { [K in Ty["kind"]]?: Family<K> } = {
  vec: checkSeqMethod,
  array: checkSeqMethod,
  slice: checkSeqMethod,
  range: (cx, s, rt) => checkRangeValueMethod(cx, s, rt) ?? checkRangeMethod(cx, s, rt),
  string: checkStringMethod,
  char: checkCharMethod,
  int: checkIntMethod,
  float: checkFloatMethod,
  enum: checkOptionResultMethod,
  atomic: checkAtomicMethod,
  map: checkMapMethod,
  set: checkSetMethod,
  taskGroup: checkTaskGroupMethod,
  taskHandle: checkTaskHandleMethod,
  sender: (cx, s, rt) => checkChannelMethod(cx, rt, s.m, s.args, s.asValue, s.span, s.e.method.span),
  receiver: (cx, s, rt) => checkChannelMethod(cx, rt, s.m, s.args, s.asValue, s.span, s.e.method.span),
};

export function checkBuiltinMethod(cx: CheckContext, e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
  const into = checkIntoCall(cx, e, exp);
  if (into) return into;
  // Chains whose inner calls have no value of their own: `m.entry(k).and_modify(f)..`.
  const entry = checkEntryModify(cx, e);
  if (entry) return entry;
  const s = receiverSite(cx, e, exp);
  if (!s) {
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const { m, rt, args } = s;
  if (rt.kind === "error") {
    cx.checkArgsLoose(args);
    return s.fail();
  }
  // A type parameter in a body checked at its definition offers what its bounds declare.
  if (rt.kind === "param") return checkParamMethod(cx, rt, e, s.place);
  // User methods, also those of `impl Trait for u8 / String / Vec[i64] / ..` (filed by the exact type).
  const user = userMethodOf(cx.table, rt, m);
  if (user && user.info.decl.receiver) return cx.callUserOnPlace(user.info, s.place, e, `${user.owner}.${m}`);
  if (m === "to_string" && rt.kind !== "var") {
    if (!s.arity(0)) return s.fail();
    const asText = s.asValue.kind === "value" ? displayRange(cx, s.asValue.value) : undefined;
    if (asText) return asText;
    cx.requireDisplay(rt, e.receiver.span);
    return s.b("to_string", s.asValue, [], STRING, [rt]);
  }
  if (rt.kind === "var") {
    cx.err(Codes.NeedsAnnotation, `type annotations needed: the type of the receiver of '${m}' is not known here`, e.receiver.span);
    cx.checkArgsLoose(args);
    return s.fail();
  }
  const family = FAMILIES[rt.kind] as Family<typeof rt.kind> | undefined;
  const known = family?.(cx, s, rt as never);
  if (known) return known;
  const more = checkOptionMethod(cx, e, rt, s) ?? checkStringParse(cx, e, rt, s) ?? checkMoreMethods(cx, e, rt, s) ?? checkComparisonMethod(cx, e, rt, s) ?? checkSplitAt(cx, e, rt, s) ?? checkStringSorted(cx, e, rt, s) ?? checkVecMore(cx, e, rt, s) ?? checkRawPointerMethod(cx, e, rt, s);
  if (more) return more;
  if (rt.kind === "vec" || rt.kind === "array" || rt.kind === "slice") {
    const loose = refuseLooseIterMut(cx, e);
    if (loose) return loose;
  }
  cx.err(Codes.NoMethod, `no method named '${m}' found for ${show(rt)}`, e.method.span);
  cx.checkArgsLoose(args);
  return s.fail();
}
