// Generic functions: instantiation per type-argument list, bounds, generic functions used as values.

import type { Arg, Expr, Span, TypeExpr } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { satisfiesBound } from "../trait-bounds.js";
import { userTraitDecls, withSupertraits } from "../trait-impls.js";
import { paramModeType } from "../mut-slice.js";
import { withDefaultArgs } from "../default-args.js";
import { reportGenericIndexMoves } from "../index-moves.js";
import type { FnInfo, ItemTable, ParamSig } from "../items.js";
import type { TExpr, TFunction } from "../../tir/nodes.js";
import { defaultLiterals, ERROR, UNIT, freshVar, hasOpenVars, isError, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk } from "../context.js";

/** Signature of a generic function or method under a generic environment. */
export function instSig(cx: CheckContext, f: FnInfo, env: Map<string, Ty>): { params: ParamSig[]; ret: Ty; self?: Ty } {
  cx.table.quiet++;
  try {
    const self = f.ownerTypeExpr ? cx.table.resolveType(f.ownerTypeExpr, env) : undefined;
    const params = f.decl.params.map((p) => ({ name: p.name.name, ...paramModeType(p.mode, cx.table.resolveType(p.type, env, self)), span: p.span }) as ParamSig);
    if (f.decl.receiver && self) params.unshift({ name: "self", mode: f.decl.receiver === "self" ? "owned" : f.decl.receiver, type: self, span: f.decl.name.span });
    const ret = f.decl.ret ? cx.table.resolveType(f.decl.ret, env, self) : UNIT;
    return { params, ret, self };
  } finally {
    cx.table.quiet--;
  }
}

/** Call a generic function: fresh type variables per parameter, instance chosen once they are solved. */
export function callGeneric(cx: CheckContext, f: FnInfo, args: Arg[], span: Span, explicit?: Ty[], recv?: Expr): TExpr {
  const gens = f.generics!;
  if (explicit && explicit.length !== gens.length) {
    cx.err(Codes.ArgCount, `function '${f.name}' takes ${gens.length} type argument${gens.length === 1 ? "" : "s"} but ${explicit.length} were supplied`, span);
    cx.checkArgsLoose(args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const vars = gens.map((_, i) => explicit?.[i] ?? freshVar());
  const env = new Map(gens.map((g, i) => [g.name, vars[i]] as [string, Ty]));
  const { params, ret } = instSig(cx, f, env);
  const all: Arg[] = withDefaultArgs(cx, f, recv ? [{ id: -1, span: recv.span, value: recv, mutMarker: false }, ...args] : args, span);
  if (all.length !== params.length) {
    const shown = recv ? params.length - 1 : params.length;
    const got = recv ? all.length - 1 : all.length;
    cx.err(Codes.ArgCount, `function '${f.symbol}' takes ${shown} argument${shown === 1 ? "" : "s"} but ${got} ${got === 1 ? "was" : "were"} supplied`, span);
    cx.checkArgsLoose(args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const targs = all.map((a, i) => cx.checkArg(params[i], a, recv !== undefined && i === 0, f.symbol));
  const node = mk({ kind: "call", fn: -1, args: targs }, ret, span) as TExpr & { kind: "call" };
  cx.pendingGeneric.push({ node, info: f, args: vars, span });
  return node;
}

/**
 * A generic function used as a value (`apply(max_of, ..)`, `max_of[i64]`): its type parameters are
 * inferred from how the value is used (or given explicitly) and it refers to that instance.
 */
export function genericFnRef(cx: CheckContext, f: FnInfo, explicit: Ty[] | undefined, span: Span, exp?: Ty): TExpr {
  const gens = f.generics!;
  if (explicit && explicit.length !== gens.length) {
    cx.err(Codes.ArgCount, `function '${f.name}' takes ${gens.length} type argument${gens.length === 1 ? "" : "s"} but ${explicit.length} were supplied`, span);
    return mk({ kind: "error" }, ERROR, span);
  }
  const vars = gens.map((_, i) => explicit?.[i] ?? freshVar());
  const { params, ret } = instSig(cx, f, new Map(gens.map((g, i) => [g.name, vars[i]] as [string, Ty])));
  const ty: Ty = { kind: "fn", params: params.map((p) => p.type), ret };
  const want = exp ? resolve(exp) : undefined;
  if (want && want.kind !== "fn" && want.kind !== "var") {
    // Not a function slot: one mismatch, and no instance to infer.
    cx.mismatch(want, ty, span);
    return mk({ kind: "error" }, ERROR, span);
  }
  if (want) unify(ty, want);
  const node = mk({ kind: "fnRef", fn: -1 }, ty, span) as TExpr & { kind: "fnRef" };
  cx.pendingGeneric.push({ node, info: f, args: vars, span });
  return node;
}

/**
 * Create (and check) the instance of every generic call made so far; instance bodies may call more
 * generic functions, so this runs to a fixed point. Returns the number of instances created.
 */
export function instantiatePending(cx: CheckContext, newFunction: (info: FnInfo) => TFunction): void {
  let guard = 0;
  while (cx.pendingGeneric.length && guard++ < 10000) {
    const p = cx.pendingGeneric.shift()!;
    for (const a of p.args) defaultLiterals(a);
    const open = p.args.findIndex((a) => hasOpenVars(a));
    if (open >= 0) {
      cx.err(Codes.NeedsAnnotation, `type annotations needed: cannot infer type parameter '${p.info.generics![open].name}' of '${p.info.name}'`, p.span);
      continue;
    }
    if (p.args.some((a) => isError(a))) continue;
    // Its body was reported at the definition; an instance would report the same mistakes again.
    if (p.info.definitionFailed) continue;
    // A type argument that fails its bounds is reported once at the call; its body is not checked with it.
    if (!checkBounds(cx, p.info, p.args, p.span)) continue;
    const key = `${p.info.symbol}[${p.args.map(show).join(", ")}]`;
    let inst = p.info.instances!.get(key);
    if (!inst && p.info.instances!.size >= 64) {
      cx.err(Codes.Unsupported, `'${p.info.symbol}' is instantiated with too many different types (polymorphic recursion is not supported)`, p.span);
      cx.pendingGeneric.length = 0;
      return;
    }
    if (!inst) {
      const env = new Map(p.info.generics!.map((g, i) => [g.name, p.args[i]] as [string, Ty]));
      const sig = instSig(cx, p.info, env);
      inst = { id: -1, name: p.info.name, symbol: key, owner: p.info.owner, decl: p.info.decl, sig: { params: sig.params, ret: sig.ret }, env, ownerTy: sig.self };
      const fn = newFunction(inst);
      inst.id = fn.id;
      p.info.instances!.set(key, inst);
      const saved = { b: cx.b, tenv: cx.tenv, selfTy: cx.selfTy };
      cx.checkFunction(inst, fn);
      cx.b = saved.b;
      cx.tenv = saved.tenv;
      cx.selfTy = saved.selfTy;
    }
    p.node.fn = inst.id;
  }
}

/**
 * Check every generic body once at its definition, its type parameters rigid (equal only to
 * themselves) and offering only what their bounds declare (param-methods.ts, trait-bounds.ts), so
 * a mistake in a generic function is reported whether or not it is called, and once however
 * often it is instantiated. The checked body is thrown away: instances are still checked and
 * lowered per type-argument list (instantiatePending). Closures lifted while checking and generic
 * calls made from the body are dropped with it (`functions` and `pendingGeneric` are cut back).
 */
export function checkGenericDefinitions(cx: CheckContext, generics: FnInfo[], functions: TFunction[], scratch: (info: FnInfo) => TFunction, errorCount: () => number): void {
  for (const f of generics) {
    if (!f.decl.body || !f.generics) continue;
    const env = new Map<string, Ty>(f.generics.map((g) => [g.name, { kind: "param", name: g.name, bounds: withSupertraits(cx.table, g.bounds) }] as [string, Ty]));
    const sig = instSig(cx, f, env);
    const info: FnInfo = { id: -1, name: f.name, symbol: f.symbol, owner: f.owner, decl: f.decl, sig: { params: sig.params, ret: sig.ret }, env, ownerTy: sig.self };
    const saved = { b: cx.b, tenv: cx.tenv, selfTy: cx.selfTy, functions: functions.length, pending: cx.pendingGeneric.length, errors: errorCount() };
    try {
      const fn = scratch(info);
      cx.checkFunction(info, fn);
      reportGenericIndexMoves(fn.body, fn.locals, (message, span) => cx.err(Codes.IndexMoveNonCopy, message, span));
    } finally {
      cx.b = saved.b;
      cx.tenv = saved.tenv;
      cx.selfTy = saved.selfTy;
      functions.length = saved.functions;
      cx.pendingGeneric.length = saved.pending;
    }
    if (errorCount() > saved.errors) f.definitionFailed = true;
  }
}

export function checkBounds(cx: CheckContext, f: FnInfo, args: Ty[], span: Span): boolean {
  let all = true;
  f.generics!.forEach((g, i) => {
    const t = resolve(args[i]);
    for (const bound of g.bounds) {
      const ok = bound === "Display" ? !cx.notDisplay(t) : satisfiesBound(cx.table, bound, t);
      if (!ok) {
        cx.err(Codes.UnsatisfiedBound, `${show(t)} does not satisfy the bound ${bound} of type parameter '${g.name}' of '${f.name}'`, span);
        all = false;
        return;
      }
    }
  });
  return all;
}

/**
 * The default method bodies of user traits, as generic functions over `Self` bounded by their
 * trait, so `checkGenericDefinitions` checks each once at its definition: `self` offers what the
 * trait and its supertraits declare, whether or not any impl inherits the default. (An impl that
 * inherits it still checks it with its own type.) Traits with type parameters and methods with
 * their own are left to the impls.
 */
export function traitDefaultDefinitions(table: ItemTable): FnInfo[] {
  const out: FnInfo[] = [];
  for (const trait of userTraitDecls(table)) {
    if (trait.generics.length > 0) continue;
    for (const decl of trait.methods) {
      if (!decl.body || decl.generics.length > 0) continue;
      const self: TypeExpr = { kind: "named", path: ["Self"], args: [], id: -1, span: trait.name.span };
      out.push({
        id: -1, name: decl.name.name, symbol: `${trait.name.name}.${decl.name.name}`, decl,
        sig: { params: [], ret: UNIT }, generics: [{ name: "Self", bounds: [trait.name.name] }], ownerTypeExpr: self,
      });
    }
  }
  return out;
}
