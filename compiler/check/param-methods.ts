// What a value of a type parameter offers inside its generic body, checked once at the
// definition: the methods of its bounds' user traits and their supertraits (`x.area()` with
// `T: Shape`, or `T: Named` where `trait Named: Shape`; the bounds arrive expanded), their
// associated functions (`T.zero()`), and the builtin methods its builtin bounds give (`clone`,
// `cmp`, `eq`). Anything else is "no method" — the body may not assume more than its bounds say.
// The nodes built here are never lowered: a definition check only reports.

import type { Expr, FnDecl, Span } from "../syntax/ast.js";
import { tyOf } from "./builder.js";
import { Codes } from "./codes.js";
import { type CheckContext, mk } from "./context.js";
import type { FnInfo, ParamSig } from "./items.js";
import { paramModeType } from "./mut-slice.js";
import { paramHas } from "./trait-bounds.js";
import { userTraitDecl } from "./trait-impls.js";
import type { TExpr, TPlace } from "../tir/nodes.js";
import { BOOL, ERROR, STRING, UNIT, type Ty } from "./types.js";

type Param = Ty & { kind: "param" };

/** The trait method `name` of one of the parameter's bounds (receiver or not, as asked). */
function boundMethod(cx: CheckContext, t: Param, name: string, withReceiver: boolean): FnDecl | undefined {
  for (const bound of t.bounds) {
    const decl = userTraitDecl(cx.table, bound);
    const m = decl?.methods.find((d) => d.name.name === name && !!d.receiver === withReceiver);
    if (m) return m;
  }
  return undefined;
}

/** The method's signature with `Self` standing for the parameter. */
function boundSignature(cx: CheckContext, t: Param, d: FnDecl): FnInfo {
  cx.table.quiet++;
  try {
    const params: ParamSig[] = d.params.map((p) => ({ name: p.name.name, ...paramModeType(p.mode, cx.table.resolveType(p.type, cx.tenv, t)), span: p.span }) as ParamSig);
    if (d.receiver) params.unshift({ name: "self", mode: d.receiver === "self" ? "owned" : d.receiver, type: t, span: d.name.span });
    const ret = d.ret ? cx.table.resolveType(d.ret, cx.tenv, t) : UNIT;
    return { id: -1, name: d.name.name, symbol: `${t.name}.${d.name.name}`, decl: d, sig: { params, ret } };
  } finally {
    cx.table.quiet--;
  }
}

/** `x.m(..)` where `x: T`: a method of one of T's bounds, or a builtin method a builtin bound gives. */
export function checkParamMethod(cx: CheckContext, t: Param, e: Expr & { kind: "methodCall" }, place: TPlace): TExpr {
  const m = e.method.name;
  const d = boundMethod(cx, t, m, true);
  if (d) return cx.callUserOnPlace(boundSignature(cx, t, d), place, e, `${t.name}.${m}`);
  const value = (): TExpr => (place.kind === "temp" ? place.value : mk({ kind: "read", place }, tyOf(place.type), e.receiver.span));
  const builtin = (arity: number, ret: Ty): TExpr => {
    if (e.args.length !== arity) {
      cx.err(Codes.ArgCount, `method '${m}' takes ${arity} argument${arity === 1 ? "" : "s"} but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, e.span);
      cx.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    for (const a of e.args) cx.expectArg(a.value, t);
    return mk({ kind: "copy", value: value() } as never, ret, e.span);
  };
  // `clone` is offered to every parameter: karac copies or clones any value it is asked to.
  if (m === "clone") return builtin(0, t);
  if (m === "to_string" && paramHas(t, "Display")) return builtin(0, STRING);
  if ((m === "eq" || m === "ne") && paramHas(t, "PartialEq")) return builtin(1, BOOL);
  if (m === "cmp" && paramHas(t, "Ord")) return builtin(1, orderingTy(cx));
  if (m === "partial_cmp" && paramHas(t, "PartialOrd")) return builtin(1, cx.optionOf(orderingTy(cx)));
  if ((m === "max" || m === "min") && paramHas(t, "Ord")) return builtin(1, t);
  if (!unjudgedBound(cx, t)) noMethod(cx, t, m, e.method.span);
  cx.checkArgsLoose(e.args);
  return mk({ kind: "error" }, ERROR, e.span);
}

/** Builtin traits whose offer is known here: a bound outside these and the user traits is not judged. */
const KNOWN_BUILTIN_BOUNDS = new Set(["PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Display", "Debug", "Clone", "Copy", "Default", "Send", "Sync"]);

/**
 * A bound naming a trait this checker does not model (`From[i64]`, `Iterator`, a numeric class):
 * what it offers is unknown, so a method it might supply is not reported at the definition. The
 * call is still checked in every instance, where the type is concrete.
 */
function unjudgedBound(cx: CheckContext, t: Param): boolean {
  return t.bounds.some((b) => !KNOWN_BUILTIN_BOUNDS.has(b) && !userTraitDecl(cx.table, b) && !OPERATOR_TRAIT_NAMES.has(b));
}

/** Operator traits only give operators (expr/operators.ts), no methods. */
const OPERATOR_TRAIT_NAMES = new Set(["Add", "Sub", "Mul", "Div", "Rem", "Neg", "BitAnd", "BitOr", "BitXor", "Shl", "Shr"]);

/** `T.m(..)`: an associated function of one of T's bounds. */
export function checkParamStatic(cx: CheckContext, t: Param, e: Expr & { kind: "methodCall" }): TExpr {
  const m = e.method.name;
  const d = boundMethod(cx, t, m, false);
  if (!d && m === "default" && paramHas(t, "Default")) {
    if (e.args.length) cx.err(Codes.ArgCount, `method 'default' takes 0 arguments but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, e.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, t, e.span);
  }
  if (!d) {
    if (!unjudgedBound(cx, t)) noMethod(cx, t, m, e.method.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const info = boundSignature(cx, t, d);
  return cx.callUser(info, e.args, e.span, `${t.name}.${m}`, undefined);
}

function orderingTy(cx: CheckContext): Ty {
  return cx.table.enumTy(cx.table.enums.get("Ordering")!, []);
}

function noMethod(cx: CheckContext, t: Param, m: string, span: Span): void {
  // `Self` in a trait's default method: its "bounds" are the trait and its supertraits.
  if (t.name === "Self") {
    cx.err(Codes.NoMethod, `no method named '${m}' found for Self: ${t.bounds.join(" + ")} declare${t.bounds.length === 1 ? "s" : ""} no method '${m}'`, span);
    return;
  }
  const has = t.bounds.length ? `its bounds (${t.bounds.join(" + ")}) declare no method '${m}'` : `it has no bounds`;
  cx.err(Codes.NoMethod, `no method named '${m}' found for type parameter ${t.name}: ${has}; add a bound whose trait declares it`, span);
}

