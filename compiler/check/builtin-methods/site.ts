// The receiver of a builtin method call, checked once, and the small toolkit every receiver family
// uses to read arguments and build the `builtin` node.

import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { asType, tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import { writablePlace } from "../map-places.js";
import type { BuiltinOp, MemoryOrdering, TExpr, TExprNode, TPlace, TReceiver } from "../../tir/nodes.js";
import { ERROR, F64, I64, resolve, unify, type Ty } from "../types.js";

/** What the helpers for less common methods (option-result-more.ts, seq-algorithms.ts, parse.ts) receive. */
export interface MethodCtx {
  asValue: TReceiver;
  asPlace: TReceiver;
  mutRecv: () => boolean;
  arity: (n: number) => boolean;
  b: (op: BuiltinOp, recv: TReceiver, args: TExpr[], ty: Ty, typeArgs?: Ty[], orderings?: MemoryOrdering[]) => TExpr;
  /** The type the call's context expects, when known. */
  exp?: Ty;
}

export interface MethodSite extends MethodCtx {
  e: Expr & { kind: "methodCall" };
  /** The method name. */
  m: string;
  span: Span;
  args: Arg[];
  /** The receiver as a place (a temp when it is not one). */
  place: TPlace;
  /** The receiver's resolved type (an untyped literal already fixed to i64/f64). */
  rt: Ty;
  /** An error node for a failed call. */
  fail: () => TExpr;
}

/** Checks the receiver once; undefined when it is not even an expression we could check. */
export function receiverSite(cx: CheckContext, e: Expr & { kind: "methodCall" }, exp: Ty | undefined): MethodSite | undefined {
  const m = e.method.name;
  const span = e.span;
  const args = e.args;
  // Receivers are checked as places so mutating methods can write through them; a place is checked once.
  const place = cx.placeOrTemp(e.receiver);
  if (!place) return undefined;
  let rt = resolve(tyOf(place.type));
  // Methods on an untyped literal (`5.to_string()`) use the literal's default type.
  if (rt.kind === "var" && rt.lit) {
    unify(rt, rt.lit === "int" ? I64 : F64);
    rt = resolve(rt);
  }
  const asValue: TReceiver = place.kind === "temp" ? { kind: "value", value: place.value } : { kind: "value", value: mk({ kind: "read", place }, rt, e.receiver.span) };
  const asPlace: TReceiver = { kind: "place", place };
  const b = (op: BuiltinOp, recv: TReceiver, targs: TExpr[], ty: Ty, typeArgs: Ty[] = [], orderings?: MemoryOrdering[]): TExpr => {
    const n: TExprNode = { kind: "builtin", op, receiver: recv, args: targs, typeArgs: typeArgs.map(asType) };
    if (orderings) (n as { orderings?: MemoryOrdering[] }).orderings = orderings;
    return mk(n, ty, span);
  };
  const arity = (n: number): boolean => {
    if (args.length === n) return true;
    cx.err(Codes.ArgCount, `method '${m}' takes ${n} argument${n === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} supplied`, span);
    cx.checkArgsLoose(args);
    return false;
  };
  const mutRecv = (): boolean => {
    // A Map value mutated in place (`m[k].push(x)`): the receiver is the value's slot in the map.
    const slot = writablePlace(place);
    (asPlace as { place: TPlace }).place = slot;
    return cx.requireMutable(slot, e.receiver.span, "borrow");
  };
  const fail = (): TExpr => mk({ kind: "error" }, ERROR, span);
  return { e, m, span, args, exp, place, rt, asValue, asPlace, b, arity, mutRecv, fail };
}
