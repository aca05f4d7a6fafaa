// Conversions (karac's From / Into / TryFrom / TryInto) and defaults.
//
//  - `x.into()` takes its target from the expected type (a let annotation, a struct field, an
//    argument, an `if`/`match` tail, …) and becomes `Target.from(x)`: a user `impl From[S] for
//    Target`, or for numbers a lossless widening (the conversions karac's `From` covers).
//  - `x.try_into()` expects `Result[Target, E]` and becomes `Target.try_from(x)`: a user
//    `impl TryFrom`, or between integer types a range check (`Err` carries the original value).
//  - `T.from(x)`, `T.try_from(x)`, `iN.checked_from(f)` on the number types themselves.
//  - `T.default()` and a bare `default()` where the type is known: zero numbers, `false`,
//    empty strings and collections, `None`, tuples of defaults, and structs that derive `Default`
//    (field by field); a user `impl Default` is an ordinary method and wins.

import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk, T } from "../context.js";
import type { BuiltinOp, TExpr, TExprNode } from "../../tir/nodes.js";
import { ERROR, F64, I64, STRING, canWiden, intTy, isIntName, resolve, show, unify, type Ty } from "../types.js";
import type { FnInfo } from "../items.js";

const b = (op: BuiltinOp, args: TExpr[], ty: Ty, typeArgs: Ty[], span: Span): TExpr =>
  mk({ kind: "builtin", op, args, typeArgs: typeArgs.map(asType) } as TExprNode, ty, span);
const fail = (span: Span): TExpr => mk({ kind: "error" }, ERROR, span);

/** The name a type is called by in `Type.f(..)` form, for the types conversions know. */
function typeName(t: Ty): string | undefined {
  switch (t.kind) {
    case "int":
      return t.name;
    case "float":
      return t.bits === 64 ? "f64" : "f32";
    case "struct":
    case "enum":
      return t.name;
    case "string":
      return "String";
    default:
      return undefined;
  }
}

/** `x.into()` / `x.try_into()`, checked before the receiver so a user `from` can take it as its argument. */
export function checkIntoCall(cx: CheckContext, e: Expr & { kind: "methodCall" }, exp: Ty | undefined): TExpr | undefined {
  const m = e.method.name;
  if (m !== "into" && m !== "try_into") return undefined;
  const span = e.span;
  if (e.args.length) {
    cx.err(Codes.ArgCount, `method '${m}' takes 0 arguments but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return fail(span);
  }
  const want = exp ? resolve(exp) : undefined;
  let target: Ty | undefined = want;
  if (m === "try_into") {
    const isResult = want && want.kind === "enum" && cx.table.enums.get(want.name)?.prelude === "result";
    target = isResult ? resolve((want as { args: Ty[] }).args[0]) : undefined;
  }
  if (!target || target.kind === "var" || target.kind === "error") {
    cx.err(
      Codes.NeedsAnnotation,
      m === "into"
        ? "type annotations needed: x.into() converts to the type the context expects; annotate it (let y: T = x.into()) or call T.from(x)"
        : "type annotations needed: x.try_into() needs an expected Result[T, E]; annotate it or call T.try_from(x)",
      span,
    );
    cx.checkExpr(e.receiver);
    return fail(span);
  }
  const arg: Arg = { value: e.receiver } as Arg;
  return m === "into" ? fromCall(cx, target, [arg], span, exp) : tryFromCall(cx, target, [arg], span, exp);
}

/** `Target.from(x)` for a target without a user `from` (numbers, String); undefined when not a conversion. */
function fromCall(cx: CheckContext, target: Ty, args: Arg[], span: Span, exp: Ty | undefined): TExpr {
  const name = typeName(target);
  const user = name ? pickConversion(cx, name, "from", args) : undefined;
  if (user === "ambiguous") {
    const r = conversionByCheckedArg(cx, name!, "from", args, span);
    return exp && r.kind !== "error" ? cx.coerce(r, exp, span) : r;
  }
  if (user && !user.decl.receiver) {
    const r = cx.callUser(user, args, span, `${name}.from`, undefined);
    return exp ? cx.coerce(r, exp, span) : r;
  }
  if (args.length !== 1) {
    cx.err(Codes.ArgCount, `${name ?? show(target)}.from takes 1 argument but ${args.length} were supplied`, span);
    cx.checkArgsLoose(args);
    return fail(span);
  }
  const a = args[0].value;
  if (target.kind === "int" || target.kind === "float" || target.kind === "string") {
    const v = cx.checkExpr(a, target);
    const from = resolve(T(v));
    if (from.kind === "error") return fail(span);
    const same = from.kind === "var" || (from.kind === target.kind && (from.kind === "string" || show(from) === show(target)));
    if (same || canWiden(from, target)) return cx.coerce(cx.own(v), target, a.span);
    cx.err(
      Codes.Mismatch,
      `no \`impl From[${show(from)}] for ${show(target)}\`: only lossless conversions are From; use try_into() / ${show(target)}.try_from(x), or \`as\``,
      a.span,
    );
    return fail(span);
  }
  cx.err(Codes.Mismatch, `no \`impl From[_] for ${show(target)}\`: implement From for ${show(target)} to convert into it`, span);
  cx.checkExpr(a);
  return fail(span);
}

/** `Target.try_from(x)`: a user `impl TryFrom`, or the integer range check. */
function tryFromCall(cx: CheckContext, target: Ty, args: Arg[], span: Span, exp: Ty | undefined): TExpr {
  const name = typeName(target);
  const user = name ? pickConversion(cx, name, "try_from", args) : undefined;
  if (user === "ambiguous") return conversionByCheckedArg(cx, name!, "try_from", args, span);
  if (user && !user.decl.receiver) {
    const r = cx.callUser(user, args, span, `${name}.try_from`, undefined);
    return exp ? cx.coerce(r, exp, span) : r;
  }
  if (args.length !== 1) {
    cx.err(Codes.ArgCount, `${name ?? show(target)}.try_from takes 1 argument but ${args.length} were supplied`, span);
    cx.checkArgsLoose(args);
    return fail(span);
  }
  const a = args[0].value;
  if (target.kind === "int") {
    const v = cx.checkExpr(a, I64);
    let src = resolve(T(v));
    if (src.kind === "var" && src.lit === "int") {
      unify(src, I64);
      src = I64;
    }
    if (src.kind === "error") return fail(span);
    if (src.kind !== "int") {
      cx.err(Codes.Mismatch, `no \`impl TryFrom[${show(src)}] for ${show(target)}\`: an integer converts from another integer (for a float use ${show(target)}.checked_from(f))`, a.span);
      return fail(span);
    }
    return b("int.try_from", [v], cx.resultOf(target, src), [target], span);
  }
  cx.err(Codes.Mismatch, `no \`impl TryFrom[_] for ${show(target)}\`: implement TryFrom for ${show(target)} to convert into it`, span);
  cx.checkExpr(a);
  return fail(span);
}

/**
 * `Type.f(args)` conversions and defaults the builtin types answer (the user's own associated
 * functions were looked up first): undefined when `typeName.m` is none of them.
 */
export function checkStaticConversion(cx: CheckContext, tname: string, e: Expr & { kind: "methodCall" }, exp: Ty | undefined): TExpr | undefined {
  const m = e.method.name;
  const span = e.span;
  const target = builtinNamed(tname);
  if (m === "default") {
    const t = target ?? nominal(cx, tname);
    if (!t) return undefined;
    if (e.args.length) {
      cx.err(Codes.ArgCount, `${tname}.default takes 0 arguments but ${e.args.length} were supplied`, span);
      cx.checkArgsLoose(e.args);
      return fail(span);
    }
    if (exp) unify(t, exp);
    return defaultOrError(cx, t, span);
  }
  if (!target) return undefined;
  if (tname === "String" && m === "from_utf8") return fromUtf8(cx, e);
  switch (m) {
    case "from":
      return fromCall(cx, target, e.args, span, undefined);
    case "try_from":
      if (target.kind !== "int") return undefined;
      return tryFromCall(cx, target, e.args, span, undefined);
    case "checked_from": {
      if (target.kind !== "int") return undefined;
      if (e.args.length !== 1) {
        cx.err(Codes.ArgCount, `${tname}.checked_from takes 1 argument but ${e.args.length} were supplied`, span);
        cx.checkArgsLoose(e.args);
        return fail(span);
      }
      const v = cx.checkExpr(e.args[0].value, F64);
      const ft = resolve(T(v));
      if (ft.kind === "var" && ft.lit === "float") unify(ft, F64);
      else if (ft.kind !== "float" && ft.kind !== "error") {
        cx.mismatch(F64, ft, e.args[0].value.span);
        return fail(span);
      }
      return b("int.checked_from", [v], cx.optionOf(target), [target], span);
    }
  }
  return undefined;
}

/** A builtin type by its source name (the ones `Type.f(..)` conversions apply to). */
function builtinNamed(name: string): Ty | undefined {
  if (isIntName(name)) return intTy(name);
  if (name === "f64") return F64;
  if (name === "f32") return { kind: "float", bits: 32 };
  if (name === "bool") return { kind: "bool" };
  if (name === "char") return { kind: "char" };
  if (name === "String") return { kind: "string" };
  return undefined;
}

function nominal(cx: CheckContext, name: string): Ty | undefined {
  const s = cx.table.structs.get(name);
  if (s) return cx.table.structTy(s);
  const en = cx.table.enums.get(name);
  if (en) return cx.table.enumTy(en);
  return undefined;
}

/** Free library calls with no user function of the same name: `default()` and `ref_eq(a, b)`. */
export function checkLibraryFreeCall(cx: CheckContext, e: Expr & { kind: "call" }, exp: Ty | undefined): TExpr | undefined {
  if (e.callee.kind !== "ident") return undefined;
  if (e.callee.name === "default") return checkBareDefault(cx, e, exp);
  if (e.callee.name === "ref_eq") return checkRefEq(cx, e);
  return undefined;
}

/**
 * `ref_eq(a, b)`: whether two values of a `shared` (or `par`) type are the same object. Values of
 * those types are shared handles, so identity is meaningful; a plain value is copied on
 * assignment, so asking is a mistake (E0200).
 */
function checkRefEq(cx: CheckContext, e: Expr & { kind: "call" }): TExpr {
  const span = e.span;
  if (e.args.length !== 2) {
    cx.err(Codes.ArgCount, `ref_eq takes 2 arguments but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return fail(span);
  }
  const a = cx.checkExpr(e.args[0].value);
  const bv = cx.checkExpr(e.args[1].value, T(a));
  const t = resolve(T(a));
  if (t.kind === "error" || resolve(T(bv)).kind === "error") return fail(span);
  if (!unify(T(bv), t)) {
    cx.mismatch(t, T(bv), e.args[1].value.span);
    return fail(span);
  }
  if ((t.kind !== "struct" && t.kind !== "enum") || t.flavor === "plain") {
    cx.err(Codes.Mismatch, `ref_eq compares the identity of shared values: \`${show(t)}\` is not a \`shared\` or \`par\` type (use == to compare values)`, e.args[0].value.span);
    return fail(span);
  }
  return b("ref_eq", [a, bv], { kind: "bool" }, [t], span);
}

/** Bare `default()` where the expected type is known (a user `fn default` wins, checked first). */
function checkBareDefault(cx: CheckContext, e: Expr & { kind: "call" }, exp: Ty | undefined): TExpr | undefined {
  const span = e.span;
  if (e.args.length) {
    cx.err(Codes.ArgCount, `default takes 0 arguments but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return fail(span);
  }
  const t = exp ? resolve(exp) : undefined;
  if (!t || t.kind === "var") {
    cx.err(Codes.NeedsAnnotation, "type annotations needed: default() builds a value of the type the context expects; annotate it (let x: T = default()) or call T.default()", span);
    return fail(span);
  }
  return defaultOrError(cx, t, span);
}

function defaultOrError(cx: CheckContext, t: Ty, span: Span): TExpr {
  const v = defaultValue(cx, t, span);
  if (v) return v;
  cx.err(Codes.UnsatisfiedBound, `the trait bound \`${show(t)}: Default\` is not satisfied: derive or implement Default for it`, span);
  return fail(span);
}

/** The default value of t as a typed expression, or undefined when t has no Default. */
export function defaultValue(cx: CheckContext, ty: Ty, span: Span): TExpr | undefined {
  const t = resolve(ty);
  switch (t.kind) {
    case "int":
      return mk({ kind: "int", value: 0n } as TExprNode, t, span);
    case "float":
      return mk({ kind: "float", value: 0 } as TExprNode, t, span);
    case "bool":
      return mk({ kind: "bool", value: false } as TExprNode, t, span);
    case "char":
      return mk({ kind: "char", value: 0 } as TExprNode, t, span);
    case "string":
      return b("string.new", [], t, [], span);
    case "unit":
      return mk({ kind: "unit" } as TExprNode, t, span);
    case "vec":
      if (t.deque) return undefined;
      return b("vec.new", [], t, [t.elem], span);
    case "map":
      if (t.sorted) return undefined;
      return b("map.new", [], t, [t.key, t.value], span);
    case "set":
      if (t.sorted) return undefined;
      return b("set.new", [], t, [t.elem], span);
    case "tuple": {
      const elems: TExpr[] = [];
      for (const el of t.elems) {
        const v = defaultValue(cx, el, span);
        if (!v) return undefined;
        elems.push(v);
      }
      return mk({ kind: "tuple", elems } as TExprNode, t, span);
    }
    case "enum": {
      const info = cx.table.enums.get(t.name);
      if (info?.prelude === "option") return mk({ kind: "variant", enum: t.name, variant: 1, payload: [] } as TExprNode, t, span);
      const user = cx.table.methods.get(t.name)?.get("default");
      if (user && !user.decl.receiver) return cx.callUser(user, [], span, `${t.name}.default`, undefined);
      return undefined;
    }
    case "struct": {
      const info = cx.table.structs.get(t.name);
      if (!info) return undefined;
      const user = cx.table.methods.get(t.name)?.get("default");
      if (user && !user.decl.receiver) return cx.coerce(cx.callUser(user, [], span, `${t.name}.default`, undefined), t, span);
      if (!info.derives.includes("Default")) return undefined;
      const fields: { index: number; value: TExpr }[] = [];
      const types = cx.table.structFields(info, t.args);
      for (let i = 0; i < types.length; i++) {
        const v = defaultValue(cx, types[i].type, span);
        if (!v) return undefined;
        fields.push({ index: i, value: v });
      }
      return mk({ kind: "struct", struct: t.name, fields } as TExprNode, t, span);
    }
    default:
      return undefined;
  }
}

/** `String.from_utf8(bytes)`: bytes are a Vec, array or slice of u8. */
function fromUtf8(cx: CheckContext, e: Expr & { kind: "methodCall" }): TExpr {
  const span = e.span;
  if (e.args.length !== 1) {
    cx.err(Codes.ArgCount, `String.from_utf8 takes 1 argument but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return fail(span);
  }
  const a = e.args[0].value;
  const u8 = intTy("u8");
  const v = cx.checkExpr(a, { kind: "vec", elem: u8 });
  const t = resolve(T(v));
  if (t.kind === "error") return fail(span);
  const seq = t.kind === "vec" || t.kind === "array" || t.kind === "slice";
  if (!seq || !unify((t as { elem: Ty }).elem, u8)) {
    cx.err(Codes.Mismatch, `mismatched types: String.from_utf8 takes a Vec[u8] or Slice[u8], found ${show(t)}`, a.span);
    return fail(span);
  }
  const err = cx.table.enums.get("Utf8Error")!;
  return b("string.from_utf8", [v], cx.resultOf({ kind: "string" }, cx.table.enumTy(err, [])), [t], span);
}

/** The user's `from` (or `try_from`) functions of a type: one per `impl From[S]`. */
export function conversionFns(cx: CheckContext, tname: string, fn: "from" | "try_from"): FnInfo[] {
  const methods = cx.table.methods.get(tname);
  if (!methods) return [];
  const out: FnInfo[] = [];
  for (const [key, info] of methods) if ((key === fn || key.startsWith(`${fn}#`)) && !info.decl.receiver) out.push(info);
  return out;
}

function sameType(a: Ty, b: Ty): boolean {
  return show(resolve(a)) === show(resolve(b));
}

/** Among several conversion functions, the one whose parameter takes `source` (exactly, else by widening). */
export function conversionFrom(fns: FnInfo[], source: Ty): FnInfo | undefined {
  const param = (f: FnInfo): Ty | undefined => f.sig.params[0]?.type;
  return fns.find((f) => param(f) && sameType(param(f)!, source)) ?? fns.find((f) => param(f) && canWiden(source, param(f)!));
}

/**
 * The conversion function a call `T.from(arg)` means: the only one, or the one whose parameter
 * type is the argument's (seen without checking it: a literal's kind or the probed type).
 */
function pickConversion(cx: CheckContext, tname: string, fn: "from" | "try_from", args: Arg[]): FnInfo | "ambiguous" | undefined {
  const fns = conversionFns(cx, tname, fn);
  if (fns.length <= 1) return fns[0];
  if (args.length !== 1) return fns[0];
  const a = args[0].value;
  let source: Ty | undefined;
  if (a.kind === "str" || a.kind === "fstr") source = STRING;
  else if (a.kind === "char") source = { kind: "char" };
  else if (a.kind === "bool") source = { kind: "bool" };
  else if (a.kind === "int") source = a.suffix && isIntName(a.suffix) ? intTy(a.suffix) : I64;
  else if (a.kind === "float") source = a.suffix === "f32" ? { kind: "float", bits: 32 } : F64;
  else if (a.kind === "unary" && a.op === "-" && a.operand.kind === "int") source = I64;
  else source = cx.probeType(a);
  const hit = source ? conversionFrom(fns, source) : undefined;
  return hit ?? "ambiguous";
}

function ambiguous(cx: CheckContext, tname: string, fn: string, args: Arg[], span: Span): TExpr {
  const sources = conversionFns(cx, tname, fn as "from").map((f) => show(f.sig.params[0]?.type ?? ERROR));
  cx.err(
    Codes.NeedsAnnotation,
    `type annotations needed: ${tname}.${fn} has an impl for each of ${sources.join(", ")}, and the argument's type is not known here; annotate it (let x: S = ..)`,
    span,
  );
  cx.checkArgsLoose(args);
  return fail(span);
}

/** `T.from(x)` / `T.try_from(x)` on a type with several conversion impls (one impl is an ordinary method call). */
export function checkUserConversionCall(cx: CheckContext, tname: string, e: Expr & { kind: "methodCall" }): TExpr | undefined {
  const m = e.method.name;
  if ((m !== "from" && m !== "try_from") || conversionFns(cx, tname, m).length < 2) return undefined;
  const user = pickConversion(cx, tname, m, e.args);
  if (user === "ambiguous") return conversionByCheckedArg(cx, tname, m, e.args, e.span);
  return user ? cx.callUser(user, e.args, e.span, `${tname}.${m}`, undefined) : undefined;
}

/**
 * `T.from(x)` where x's type shows only once x is checked (`T.from(s.len())`, `T.from(v[i])`):
 * check x, then call the impl that takes its type.
 */
function conversionByCheckedArg(cx: CheckContext, tname: string, fn: "from" | "try_from", args: Arg[], span: Span): TExpr {
  if (args.length !== 1) return ambiguous(cx, tname, fn, args, span);
  const arg = cx.checkExpr(args[0].value);
  const source = resolve(T(arg));
  if (source.kind === "error") return fail(span);
  const f = source.kind === "var" ? undefined : conversionFrom(conversionFns(cx, tname, fn), source);
  if (!f || f.generics) {
    const sources = conversionFns(cx, tname, fn).map((g) => show(g.sig.params[0]?.type ?? ERROR));
    if (source.kind === "var") {
      cx.err(Codes.NeedsAnnotation, `type annotations needed: ${tname}.${fn} has an impl for each of ${sources.join(", ")}, and the argument's type is not known here; annotate it (let x: S = ..)`, span);
    } else {
      const trait = fn === "from" ? "From" : "TryFrom";
      cx.err(Codes.UnsatisfiedBound, `the trait ${trait}[${show(source)}] is not implemented for ${tname} (it has ${trait}[${sources.join("], " + trait + "[")}])`, args[0].value.span);
    }
    return fail(span);
  }
  return convertedError(cx, f, arg, span);
}

/** The `from` of the caller's error type that takes the error `from` (for `?`), if any. */
export function errorConversion(cx: CheckContext, from: Ty, to: Ty): FnInfo | undefined {
  const name = typeName(resolve(to));
  if (!name) return undefined;
  const f = conversionFrom(conversionFns(cx, name, "from"), from);
  return f && !f.generics ? f : undefined;
}

/** `To.from(err)` for `?`: the call of the chosen conversion on the error value. */
export function convertedError(cx: CheckContext, f: FnInfo, err: TExpr, span: Span): TExpr {
  const p = f.sig.params[0];
  const value = p.mode === "owned" ? cx.coerce(cx.own(err), p.type, span) : err;
  return mk({ kind: "call", fn: f.id, args: [{ mode: p.mode === "owned" ? "owned" : "ref", value }] } as TExprNode, f.sig.ret, span);
}
