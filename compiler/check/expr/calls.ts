// Calls of functions, closures and prelude builtins, argument passing modes (`mut`, `mut Slice`), spawn thunks.

import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { displayRange } from "../builtin-methods/range-display.js";
import { Codes } from "../codes.js";
import { asType, tyOf } from "../builder.js";
import { splitPipeline } from "../pipeline.js";
import { satisfiesBound } from "../trait-bounds.js";
import { channelNewTypeArg, checkChannelNew } from "../channels.js";
import { checkProviderScope, checkRoutedOutput, isProviderScopeCall } from "../providers.js";
import { isMutSlice } from "../mut-slice.js";
import type { FnInfo, ParamSig } from "../items.js";
import type { BuiltinOp, TArg, TExpr, TPlace } from "../../tir/nodes.js";
import { BOOL, ERROR, NEVER, STRING, UNIT, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, ownMarker, T } from "../context.js";
import { exprAsType, exprText } from "../syntax-helpers.js";
import { withDefaultArgs } from "../default-args.js";
import { checkLibraryFreeCall } from "../builtin-methods/conversions.js";
import { checkCollectAll, checkCollectAllVec } from "./collect-all.js";

export function checkCall(cx: CheckContext, e: Expr & { kind: "call" }, exp?: Ty): TExpr {
  const c = e.callee;
  if (isProviderScopeCall(cx, e)) return checkProviderScope(cx, e, exp);
  if (c.kind === "ident" && !cx.lookupLocalQuiet(c.name)) {
    if (cx.table.poisoned.has(c.name)) {
      checkArgsLoose(cx, e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const builtin = checkBuiltinFree(cx, c.name, e, exp);
    if (builtin) return builtin;
    const f = cx.table.fns.get(c.name);
    if (f) return callUser(cx, f, e.args, e.span, c.name, undefined);
    const conversion = checkLibraryFreeCall(cx, e, exp);
    if (conversion) return conversion;
    const v = cx.table.findVariant(c.name, exp);
    if (v) return cx.variantValue(v.e, v.index, e.args, e.span, exp, c.span);
    if (cx.table.structs.has(c.name)) {
      cx.err(Codes.NotCallable, `struct ${c.name} is not a function; construct it with ${c.name} { .. }`, c.span);
      checkArgsLoose(cx, e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    cx.undefinedName(c.name, c.span);
    checkArgsLoose(cx, e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (c.kind === "index" && c.object.kind === "ident" && cx.table.fns.has(c.object.name) && !cx.lookupLocalQuiet(c.object.name)) {
    const f = cx.table.fns.get(c.object.name)!;
    if (!f.generics) {
      cx.err(Codes.NotCallable, `function '${f.name}' takes no type arguments`, c.span);
      checkArgsLoose(cx, e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    // f[T, U](args): the index expressions name types.
    const explicit: Ty[] = [];
    for (const ix of c.indices) {
      const te = exprAsType(ix);
      if (!te) {
        cx.err(Codes.WrongKind, "expected a type argument", ix.span);
        checkArgsLoose(cx, e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      explicit.push(cx.resolveTy(te));
    }
    return cx.callGeneric(f, e.args, e.span, explicit);
  }
  const chan = channelNewTypeArg(cx, c, exprAsType);
  if (chan === "bad") {
    checkArgsLoose(cx, e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (chan) return checkChannelNew(cx, chan.elem, e.args, e.span, exp);
  const callee = cx.checkExpr(c);
  return callValue(cx, callee, e.args, e.span);
}

/** Check arguments of a call that already failed, for their own errors only. */
export function checkArgsLoose(cx: CheckContext, args: Arg[]): void {
  for (const a of args) {
    const v = a.value;
    if (v.kind === "field" && v.object.kind === "ident" && v.object.name === "MemoryOrdering") continue;
    if (v.kind === "closure") continue; // its parameter types are unknowable without the callee
    if (splitPipeline(cx, v)) continue; // a bare iterator is only meaningful to its consumer
    cx.checkExpr(v);
  }
}

export function callValue(cx: CheckContext, callee: TExpr, args: Arg[], span: Span): TExpr {
  let ft = resolve(T(callee));
  if (ft.kind === "error") {
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, span);
  }
  if (ft.kind === "var" && !ft.lit) {
    const f: Ty = { kind: "fn", params: args.map(() => freshVar()), ret: freshVar() };
    unify(ft, f);
    ft = resolve(f);
  }
  if (ft.kind !== "fn") {
    cx.err(Codes.NotCallable, `expected a function, found ${show(ft)}`, callee.span);
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, span);
  }
  if (ft.params.length !== args.length) {
    cx.err(Codes.ArgCount, `this function takes ${ft.params.length} argument${ft.params.length === 1 ? "" : "s"} but ${args.length} were supplied`, span);
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const targs = args.map((a, i) => cx.coerce(cx.own(cx.checkExpr(a.value, ft.params[i])), (ft as { params: Ty[] }).params[i], a.value.span));
  if (callee.kind === "fnRef") {
    return mk({ kind: "call", fn: callee.fn, args: targs.map((value) => ({ mode: "owned", value }) as TArg) }, ft.ret, span);
  }
  return mk({ kind: "callValue", callee, args: targs }, ft.ret, span);
}

/** Call a user function; `recv` is an already-checked receiver for method calls. */
export function callUser(cx: CheckContext, f: FnInfo, args: Arg[], span: Span, name: string, recv: { expr: Expr } | undefined): TExpr {
  if (f.generics) return cx.callGeneric(f, args, span, undefined, recv?.expr);
  const params = f.sig.params;
  const all: Arg[] = withDefaultArgs(cx, f, recv ? [{ id: -1, span: recv.expr.span, value: recv.expr, mutMarker: false }, ...args] : args, span);
  if (all.length !== params.length) {
    const shown = recv ? params.length - 1 : params.length;
    const got = recv ? all.length - 1 : all.length;
    cx.err(Codes.ArgCount, `function '${name}' takes ${shown} argument${shown === 1 ? "" : "s"} but ${got} ${got === 1 ? "was" : "were"} supplied`, span);
    checkArgsLoose(cx, args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const targs: TArg[] = [];
  all.forEach((a, i) => {
    const p = params[i];
    targs.push(checkArg(cx, p, a, recv !== undefined && i === 0, name));
  });
  return mk({ kind: "call", fn: f.id, args: targs }, f.sig.ret, span);
}

/** A user method whose receiver was already resolved to a place (receivers the type probe could not see). */
export function callUserOnPlace(cx: CheckContext, f: FnInfo, place: TPlace, e: Expr & { kind: "methodCall" }, name: string): TExpr {
  if (f.generics) {
    cx.err(Codes.Unsupported, `call '${name}' through a named value: generic methods on this receiver are not supported yet`, e.method.span);
    checkArgsLoose(cx, e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const params = f.sig.params;
  const args = withDefaultArgs(cx, f, [{ id: -1, span: e.span, value: e, mutMarker: false }, ...e.args], e.span).slice(1);
  if (args.length !== params.length - 1) {
    cx.err(Codes.ArgCount, `function '${name}' takes ${params.length - 1} argument${params.length === 2 ? "" : "s"} but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, e.span);
    checkArgsLoose(cx, e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const rp = params[0];
  const read = (): TExpr => (place.kind === "temp" ? place.value : mk({ kind: "read", place }, tyOf(place.type), e.receiver.span));
  let recv: TArg;
  if (rp.mode === "mutref") {
    if (cx.requireMutable(place, e.receiver.span, "borrow") && place.kind === "local") cx.b.addressTaken(place.local);
    recv = { mode: "mutref", place };
  } else if (rp.mode === "ref") recv = { mode: "ref", value: read() };
  else recv = { mode: "owned", value: cx.own(read()) };
  const targs: TArg[] = [recv, ...args.map((a, i) => checkArg(cx, params[i + 1], a, false, name))];
  return mk({ kind: "call", fn: f.id, args: targs }, f.sig.ret, e.span);
}

export function checkArg(cx: CheckContext, p: ParamSig, a: Arg, isReceiver: boolean, fname: string): TArg {
  if (p.mode === "mutref") {
    const place = cx.checkPlace(a.value);
    if (!place) return { mode: "owned", value: mk({ kind: "error" }, ERROR, a.value.span) };
    if (!unify(tyOf(place.type), p.type)) cx.mismatch(p.type, tyOf(place.type), a.value.span);
    const root = place.kind === "local" ? cx.b.local(place.local) : undefined;
    const forwarding = root && root.mode === "mutref" && root.kind !== "capture";
    if (!isReceiver && !a.mutMarker && !forwarding && place.kind !== "temp") {
      cx.err(Codes.MissingMutMarker, `parameter '${p.name}' of '${fname}' is \`mut ref\`: write \`mut\` at the call site, e.g. ${fname}(mut ${exprText(a.value)})`, a.value.span);
    }
    if (cx.requireMutable(place, a.value.span, "borrow") && place.kind === "local") cx.b.addressTaken(place.local);
    return { mode: "mutref", place };
  }
  if (isMutSlice(p.type)) return checkMutSliceArg(cx, p, a, fname);
  if (a.mutMarker) {
    cx.err(Codes.InvalidMutMarker, `\`mut\` is only written for \`mut ref\` parameters; '${p.name}' is ${p.mode === "ref" ? "`ref`" : "owned"}`, a.span);
  }
  const v = cx.checkExpr(a.value, p.type);
  const view = sliceView(cx, v, p.type);
  if (view) return { mode: p.mode === "ref" ? "ref" : "owned", value: view };
  if (p.mode === "ref") {
    if (!unify(T(v), p.type)) cx.mismatch(p.type, T(v), a.value.span);
    return { mode: "ref", value: v };
  }
  return { mode: "owned", value: cx.coerce(cx.own(v), p.type, a.value.span) };
}

/**
 * An argument for a `mut Slice[T]` parameter: a mutable Vec/Array (`f(mut v)`), part of one
 * (`f(mut v[1..3])`), or a `mut Slice[T]` parameter forwarded as is. It is passed as a view.
 */
export function checkMutSliceArg(cx: CheckContext, p: ParamSig, a: Arg, fname: string): TArg {
  const v = cx.checkExpr(a.value, p.type);
  const view = sliceView(cx, v, p.type) ?? v;
  const target = resolve(p.type);
  const got = resolve(T(view));
  if (got.kind !== "slice" || target.kind !== "slice" || !unify(got.elem, target.elem)) {
    cx.mismatch(p.type, T(v), a.value.span);
    return { mode: "owned", value: view };
  }
  // The collection whose elements are lent: `v` in `v`, `v[a..b]`.
  const inner = v.kind === "slice" ? v.base : v;
  const place = inner.kind === "read" ? inner.place : undefined;
  const forwarding = place !== undefined && isMutSlice(tyOf(place.type));
  if (!a.mutMarker && !forwarding) {
    cx.err(Codes.MissingMutMarker, `parameter '${p.name}' of '${fname}' is \`mut Slice\`: write \`mut\` at the call site, e.g. ${fname}(mut ${exprText(a.value)})`, a.value.span);
  }
  if (place && !forwarding) cx.requireMutable(place, a.value.span, "borrow");
  // The view's own type says `mut`, so later phases see that the call writes through it.
  return { mode: "owned", value: { ...view, type: asType({ ...got, mut: true }) } };
}

/**
 * A `Slice[T]` parameter borrows a whole Vec[T] / Array[T, N] argument as a view (`v[..]`),
 * so the collection is neither moved nor copied.
 */
export function sliceView(cx: CheckContext, v: TExpr, param: Ty): TExpr | undefined {
  const target = resolve(param);
  const from = resolve(T(v));
  if (target.kind !== "slice" || (from.kind !== "vec" && from.kind !== "array")) return undefined;
  if (!unify(from.elem, target.elem)) return undefined; // reported as a mismatch by the caller
  return mk({ kind: "slice", base: v, inclusive: false }, { kind: "slice", elem: from.elem, mut: false }, v.span);
}

/** Prelude free functions. Returns undefined when `name` is not one. */
export function checkBuiltinFree(cx: CheckContext, name: string, e: Expr & { kind: "call" }, exp?: Ty): TExpr | undefined {
  const args = e.args;
  const span = e.span;
  const b = (op: BuiltinOp, targs: TExpr[], ty: Ty, typeArgs: Ty[] = []): TExpr =>
    mk({ kind: "builtin", op, args: targs, typeArgs: typeArgs.map(asType) }, ty, span);
  switch (name) {
    case "print":
    case "println":
    case "eprintln": {
      if (args.length > 1) {
        cx.err(Codes.PrintArity, `${name} takes 0 or 1 argument(s) but ${args.length} were supplied; use an f-string to combine values`, span);
        checkArgsLoose(cx, args);
        return b(name, [], UNIT);
      }
      const targs = args.map((a) => {
        const v = cx.checkExpr(a.value);
        return displayRange(cx, v) ?? v;
      });
      for (const t of targs) {
        if (resolve(T(t)).kind === "unit") cx.err(Codes.NotDisplay, "() does not implement Display", t.span);
        else cx.requireDisplay(T(t), t.span);
      }
      // In a program that binds a Stdout / Stderr provider, the text goes to the provider.
      return checkRoutedOutput(cx, name, targs[0], span) ?? b(name, targs, UNIT, targs.map(T));
    }
    case "collect_all":
      return cx.table.fns.has(name) ? undefined : checkCollectAll(cx, e, exp, checkArgsLoose);
    case "collect_all_vec":
      return cx.table.fns.has(name) ? undefined : checkCollectAllVec(cx, e, exp, checkArgsLoose);
    case "dbg":
      // A program's own `fn dbg` keeps its name (the builtin is newer than many programs).
      return cx.table.fns.has("dbg") ? undefined : checkDbg(cx, e, exp);
    case "panic":
    case "todo":
    case "unreachable": {
      if (args.length > (name === "unreachable" ? 0 : 1)) {
        cx.err(Codes.ArgCount, `${name} takes ${name === "unreachable" ? "no arguments" : "at most 1 argument"}`, span);
      }
      const targs = args.slice(0, 1).map((a) => {
        const v = cx.checkExpr(a.value, STRING);
        if (!unify(T(v), STRING)) cx.mismatch(STRING, T(v), a.value.span);
        return v;
      });
      return b(name, targs, NEVER);
    }
    case "assert": {
      if (args.length < 1 || args.length > 2) {
        cx.err(Codes.ArgCount, "assert takes a condition and an optional message", span);
        checkArgsLoose(cx, args);
        return b("assert", [], UNIT);
      }
      const c = cx.checkExpr(args[0].value, BOOL);
      if (!unify(T(c), BOOL)) cx.mismatch(BOOL, T(c), args[0].value.span);
      const targs = [c];
      if (args[1]) {
        const m = cx.checkExpr(args[1].value, STRING);
        if (!unify(T(m), STRING)) cx.mismatch(STRING, T(m), args[1].value.span);
        targs.push(m);
      }
      return b("assert", targs, UNIT);
    }
    case "assert_eq":
    case "assert_ne": {
      if (args.length !== 2) {
        cx.err(Codes.ArgCount, `${name} takes 2 arguments but ${args.length} were supplied`, span);
        checkArgsLoose(cx, args);
        return b(name, [], UNIT);
      }
      const l = cx.checkExpr(args[0].value);
      const r = cx.checkExpr(args[1].value, T(l));
      if (!unify(T(l), T(r))) cx.mixError(T(l), T(r), span);
      cx.requireDisplay(T(l), args[0].value.span);
      return b(name, [l, r], UNIT, [T(l)]);
    }
    case "min":
    case "max":
    case "clamp": {
      const n = name === "clamp" ? 3 : 2;
      if (args.length !== n) {
        cx.err(Codes.ArgCount, `${name} takes ${n} arguments but ${args.length} were supplied`, span);
        checkArgsLoose(cx, args);
        return b(name, [], ERROR);
      }
      const first = cx.checkExpr(args[0].value, exp);
      const rest = args.slice(1).map((a) => cx.checkExpr(a.value, T(first)));
      for (const r of rest) if (!unify(T(first), T(r))) cx.mixError(T(first), T(r), r.span);
      const t = resolve(T(first));
      if (t.kind === "float" || (t.kind === "var" && t.lit === "float")) {
        cx.err(Codes.BadOperand, `${name}() needs an ordered type; f64 has no total order — use a.${name === "clamp" ? "clamp" : name}(b) on floats`, span);
      } else if (!(t.kind === "int" || t.kind === "string" || t.kind === "char" || t.kind === "error" || (t.kind === "var" && t.lit === "int")) && !satisfiesBound(cx.table, "Ord", t)) {
        cx.err(Codes.BadOperand, `${name}() cannot be applied to ${show(t)}`, span);
      }
      return b(name, [first, ...rest], T(first), [T(first)]);
    }
    case "spawn": {
      if (args.length !== 1) {
        cx.err(Codes.ArgCount, "spawn takes one closure argument", span);
        checkArgsLoose(cx, args);
        return b("spawn", [], ERROR);
      }
      const thunk = checkThunk(cx, args[0].value);
      const ret = resolve(T(thunk)).kind === "fn" ? (resolve(T(thunk)) as { ret: Ty }).ret : ERROR;
      return b("spawn", [thunk], { kind: "taskHandle", result: ret }, [ret]);
    }
    case "fence":
    case "compiler_fence": {
      // compiler_fence orders only this thread's code; it lowers like fence (at least as strong).
      const ords = cx.orderings(args, 1, name, span);
      if (ords[0] === "Relaxed") cx.err(Codes.AtomicBadOrdering, `${name} cannot use MemoryOrdering.Relaxed; use Acquire, Release, AcqRel or SeqCst`, args[args.length - 1].value.span);
      return mk({ kind: "builtin", op: "fence", args: [], typeArgs: [], orderings: ords }, UNIT, span);
    }
  }
  return undefined;
}

/** The closure argument of spawn / TaskGroup.spawn, lifted as a task thunk. */
export function checkThunk(cx: CheckContext, e: Expr): TExpr {
  if (e.kind !== "closure") {
    cx.err(Codes.Unsupported, "spawn needs a closure literal, e.g. spawn(|| work())", e.span);
    cx.checkExpr(e);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (e.params.length) cx.err(Codes.ArgCount, "a spawned closure takes no parameters", e.span);
  return cx.checkClosure(e, { kind: "fn", params: [], ret: freshVar() }, "thunk");
}

/**
 * `dbg(x)`: prints `[file:line] <x's source text> = <x in Debug form>` to standard error and gives
 * x back. Like karac, it does not consume x: a place is copied (`dbg(v); v.push(1)` stays legal),
 * a temporary is passed through. x is evaluated once, into a local the print reads.
 */
function checkDbg(cx: CheckContext, e: Expr & { kind: "call" }, exp?: Ty): TExpr {
  const span = e.span;
  if (e.args.length === 0) return mk({ kind: "unit" }, UNIT, span);
  if (e.args.length > 1) {
    cx.err(Codes.ArgCount, `dbg takes 0 or 1 argument(s) but ${e.args.length} were supplied`, span);
    checkArgsLoose(cx, e.args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const argE = e.args[0].value;
  const v = cx.checkExpr(argE, exp);
  const ty = T(v);
  if (resolve(ty).kind === "error") return v;
  const text = cx.table.source?.slice(argE.span.offset, argE.span.offset + argE.span.length) || "<expr>";
  const id = cx.b.newLocal("$dbg", ty, "temp", false, "owned", v.span);
  const read = (): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: asType(ty), span: v.span } }, ty, v.span);
  const init = v.kind === "read" ? ownMarker(v, true) : cx.own(v);
  const print = mk({ kind: "builtin", op: "dbg", args: [read(), mk({ kind: "string", value: text }, STRING, argE.span)], typeArgs: [asType(ty)] }, UNIT, span);
  return {
    kind: "block",
    stmts: [
      { kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span: v.span } as import("../../tir/nodes.js").TPattern, init, span },
      { kind: "expr", expr: print, span },
    ],
    tail: cx.own(read()),
    drops: [id],
    type: asType(ty),
    span,
  } as TExpr;
}
