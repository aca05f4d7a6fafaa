// Method calls: user methods, static calls on types (`Vec.new()`, `Atomic.new(..)`), receiver type probing.

import { checkStaticConversion, checkUserConversionCall } from "../builtin-methods/conversions.js";
import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { Builder, asType, tyOf } from "../builder.js";
import { PipelineLowering, TERMINALS, isStringSplit, splitPipeline } from "../pipeline.js";
import { entryPlace, hoistSlotKeys, isEntryCall } from "../map-places.js";
import { checkChannelNew } from "../channels.js";
import { checkProviderCall, isResourceName } from "../providers.js";
import { atomicInnerOk } from "../items.js";
import { checkParamStatic } from "../param-methods.js";
import { checkCollectionConstructor } from "../builtin-methods/collections.js";
import { checkIteratorValue } from "../builtin-methods/iterators.js";
import { checkIterMutForEach } from "../builtin-methods/iter-mut-each.js";
import type { BuiltinOp, MemoryOrdering, TExpr } from "../../tir/nodes.js";
import { defaultLiterals, CHAR, ERROR, I64, STRING, freshVar, intTy, isError, isIntLike, isIntName, resolve, show, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";

const ORDERINGS = new Set(["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"]);

export function checkMethodCall(cx: CheckContext, e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
  const m = e.method.name;
  const r = e.receiver;
  if (r.kind === "ident" && isResourceName(cx, r.name)) return checkProviderCall(cx, e);
  if (r.kind === "ident" && cx.isTypeLike(r) && cx.table.poisoned.has(`${r.name}.${m}`)) {
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  // `T.m(..)` in a generic body checked at its definition: an associated function of T's bounds
  // (`Self.m(..)` in a trait's default method, whose Self is such a parameter).
  const rigid = r.kind === "ident" && !cx.lookupLocalQuiet(r.name) ? cx.tenv?.get(r.name) : undefined;
  if (rigid?.kind === "param") return checkParamStatic(cx, rigid, e);
  if (r.kind === "ident" && cx.isTypeLike(r)) return checkStaticCall(cx, r.name === "Self" ? selfName(cx) ?? r.name : r.name, e, exp);
  const viaParam = r.kind === "ident" ? typeParamTypeName(cx, r.name) : undefined;
  if (viaParam) return checkStaticCall(cx, viaParam, e, exp);
  if (isEntryCall(e)) {
    const p = entryPlace(cx, e);
    return p ? mk({ kind: "read", place: p }, tyOf(p.type), e.span) : mk({ kind: "error" }, ERROR, e.span);
  }
  // `v.iter_mut().for_each(|x| { .. })` is the loop `for x in v.iter_mut() { .. }`.
  const eachMut = checkIterMutForEach(cx, e);
  if (eachMut) return eachMut;
  // A pipeline used as a value is an iterator value (builtin-methods/iterators.ts).
  const itValue = checkIteratorValue(cx, e);
  if (itValue) return itValue;
  // Iterator pipelines: lowered to loops. A terminal straight on a String's pieces
  // (`s.split(",").collect()`, `s.lines().count()`) runs over them as a pipeline without steps.
  const pl = splitPipeline(cx, r) ?? (TERMINALS.has(m) && isStringSplit(cx, r) ? { source: r, sourceKind: "iter" as const, steps: [] } : undefined);
  if (pl) {
    const srcTy = pl.sourceKind === "range" ? undefined : probeType(cx, pl.source);
    const userType = srcTy && (resolve(srcTy).kind === "struct" || resolve(srcTy).kind === "enum");
    if (!userType) {
      if (TERMINALS.has(m)) return new PipelineLowering(cx).lowerTerminal(pl, m, e.args.map((a) => a.value), exp, e.span);
      // karac accepts `len()` on an iterator as `count()` (a range value keeps its own O(1) `len`).
      if (m === "len" && (pl.steps.length > 0 || pl.sourceKind !== "range")) return new PipelineLowering(cx).lowerTerminal(pl, "count", e.args.map((a) => a.value), exp, e.span);
      // `it.next()` / `it.peek()` on an iterator value.
      const itSource = pl.steps.length === 0 && srcTy && resolve(srcTy).kind === "vec" && (resolve(srcTy) as { iter?: true }).iter;
      if (itSource) return hoistSlotKeys(cx, cx.checkBuiltinMethod(e, exp));
      // `s.chars().next()`, `v.iter().filter(f).next()`: a pipeline made here yields its first item.
      if (m === "next" && (pl.steps.length > 0 || pl.sourceKind !== "range")) return new PipelineLowering(cx).lowerTerminal(pl, "next", e.args.map((a) => a.value), exp, e.span);
      if (m === "cycle") {
        cx.err(Codes.Unsupported, "an endless cycle() must be consumed in the same chain (take, take_while, find, a for loop with break, ...)", e.method.span);
        cx.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      if (pl.steps.length || pl.sourceKind !== "range") {
        cx.err(Codes.Unsupported, `iterator method '${m}' is not supported yet`, e.method.span);
        cx.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
    }
  }
  // Receiver is a value. Decide between a user method and a builtin by its type.
  const probe = probeType(cx, r);
  const pt = probe ? resolve(probe) : undefined;
  if (pt && (pt.kind === "struct" || pt.kind === "enum")) {
    const user = cx.table.methods.get(pt.name)?.get(m);
    if (!user && cx.table.poisoned.has(`${pt.name}.${m}`)) {
      cx.checkArgsLoose(e.args);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    if (user) {
      if (!user.decl.receiver) {
        cx.err(Codes.NoMethod, `'${m}' is an associated function of ${pt.name}, not a method: call it as ${pt.name}.${m}(..)`, e.method.span);
        cx.checkArgsLoose(e.args);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      return cx.callUser(user, e.args, e.span, `${pt.name}.${m}`, { expr: r });
    }
  }
  return hoistSlotKeys(cx, cx.checkBuiltinMethod(e, exp));
}

export function selfName(cx: CheckContext): string | undefined {
  return cx.b.fn.owner;
}

/**
 * `T.assoc(..)` through a type parameter: generic bodies are checked once per instance, where
 * `T` stands for a concrete type, so the call goes to that type's associated function.
 */
export function typeParamTypeName(cx: CheckContext, name: string): string | undefined {
  const t = cx.tenv?.get(name);
  if (!t || cx.lookupLocalQuiet(name)) return undefined;
  const r = resolve(t);
  if (r.kind === "struct" || r.kind === "enum") return r.name;
  if (r.kind === "int" || r.kind === "float" || r.kind === "bool" || r.kind === "char" || r.kind === "string") return show(r);
  return undefined;
}

/** Type of a receiver expression, checked in a throwaway way only when it is a plain name or field path. */
export function probeType(cx: CheckContext, e: Expr): Ty | undefined {
  // Checking twice would duplicate diagnostics and captures; we only peek at names and field chains.
  if (e.kind === "ident") {
    for (let b: Builder | undefined = cx.b; b; b = b.parent) {
      const id = b.findOwn(e.name);
      if (id !== undefined) return b.localTy(id);
      if (b.siblingNames?.has(e.name)) return undefined;
    }
    return cx.globals.get(e.name)?.ty;
  }
  if (e.kind === "field" && !e.optional) {
    if (e.object.kind === "ident" && cx.isTypeLike(e.object)) {
      const en = cx.table.enums.get(e.object.name);
      return en && en.variants.some((v) => v.name === e.name.name) && !en.generics.length ? cx.table.enumTy(en, []) : undefined;
    }
    const base = probeType(cx, e.object);
    const bt = base ? resolve(base) : undefined;
    if (bt?.kind === "struct") {
      const info = cx.table.structs.get(bt.name)!;
      return cx.table.structFields(info, bt.args).find((f) => f.name === e.name.name)?.type;
    }
    if (bt?.kind === "tuple" && /^[0-9]+$/.test(e.name.name)) return bt.elems[Number(e.name.name)];
    return undefined;
  }
  if (e.kind === "index") {
    const base = probeType(cx, e.object);
    const bt = base ? resolve(base) : undefined;
    if (bt && (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") && !(e.indices[0]?.kind === "range")) return bt.elem;
    if (bt && bt.kind === "map") return bt.value;
    return undefined;
  }
  if (e.kind === "call" && e.callee.kind === "ident" && !cx.lookupLocalQuiet(e.callee.name)) {
    return cx.table.fns.get(e.callee.name)?.sig.ret;
  }
  if (e.kind === "methodCall" && e.receiver.kind === "ident" && cx.isTypeLike(e.receiver)) {
    const owner = e.receiver.name === "Self" ? selfName(cx) : e.receiver.name;
    const f = owner ? cx.table.methods.get(owner)?.get(e.method.name) : undefined;
    if (f) return f.sig.ret;
    if (owner && cx.table.structs.has(owner)) return undefined;
  }
  if (e.kind === "methodCall") {
    const rt = probeType(cx, e.receiver);
    const r = rt ? resolve(rt) : undefined;
    if (r && (r.kind === "struct" || r.kind === "enum")) return cx.table.methods.get(r.name)?.get(e.method.name)?.sig.ret;
  }
  if (e.kind === "structLit" && e.path.length === 1 && cx.table.structs.has(e.path[0])) {
    return cx.table.structTy(cx.table.structs.get(e.path[0])!);
  }
  return undefined;
}

/** `Type.name(args)`: associated functions, UFCS, variant constructors, builtin constructors. */
export function checkStaticCall(cx: CheckContext, typeName: string, e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr {
  const m = e.method.name;
  const span = e.span;
  if (typeName === "i128" || typeName === "u128") {
    cx.err(Codes.Unsupported, "128-bit integers are not supported", e.receiver.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, span);
  }
  const conversion = checkUserConversionCall(cx, typeName, e);
  if (conversion) return conversion;
  const user = cx.table.methods.get(typeName)?.get(m);
  if (user) {
    if (user.decl.receiver) {
      // UFCS: Type.m(v, args) == v.m(args)
      if (e.args.length === 0) {
        cx.err(Codes.ArgCount, `method '${m}' needs a receiver: ${typeName}.${m}(value, ..)`, span);
        return mk({ kind: "error" }, ERROR, span);
      }
      return cx.callUser(user, e.args.slice(1), span, `${typeName}.${m}`, { expr: e.args[0].value });
    }
    return cx.callUser(user, e.args, span, `${typeName}.${m}`, undefined);
  }
  const en = cx.table.enums.get(typeName);
  if (en) {
    const i = en.variants.findIndex((v) => v.name === m);
    if (i >= 0) return cx.variantValue(en, i, e.args, span, exp, e.method.span);
  }
  const b = (op: BuiltinOp, targs: TExpr[], ty: Ty, typeArgs: Ty[] = []): TExpr =>
    mk({ kind: "builtin", op, args: targs, typeArgs: typeArgs.map(asType) }, ty, span);
  const arity = (n: number): boolean => {
    if (e.args.length === n) return true;
    cx.err(Codes.ArgCount, `${typeName}.${m} takes ${n} argument${n === 1 ? "" : "s"} but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return false;
  };
  const key = `${typeName}.${m}`;
  switch (key) {
    case "Vec.new":
    case "Vec.with_capacity": {
      const elem = exp && exp.kind === "vec" ? exp.elem : freshVar();
      if (m === "new") {
        if (!arity(0)) return b("vec.new", [], ERROR);
        return b("vec.new", [], { kind: "vec", elem }, [elem]);
      }
      if (!arity(1)) return b("vec.with_capacity", [], ERROR);
      const n = expectArg(cx, e.args[0].value, I64);
      return b("vec.with_capacity", [n], { kind: "vec", elem }, [elem]);
    }
    case "Vec.filled": {
      if (!arity(2)) return b("vec.filled", [], ERROR);
      const n = expectArg(cx, e.args[0].value, I64);
      const elemExp = exp && exp.kind === "vec" ? exp.elem : undefined;
      let v = cx.checkExpr(e.args[1].value, elemExp);
      if (elemExp) v = cx.coerce(cx.own(v), elemExp, e.args[1].value.span);
      else v = cx.own(v);
      return b("vec.filled", [n, v], { kind: "vec", elem: T(v) }, [T(v)]);
    }
    case "Vec.from_fn": {
      if (!arity(2)) return b("vec.new", [], ERROR);
      return new PipelineLowering(cx).lowerFromFn(e.args[0].value, e.args[1].value, exp, span);
    }
    case "String.new":
      if (!arity(0)) return b("string.new", [], ERROR);
      return b("string.new", [], STRING);
    case "String.from": {
      if (!arity(1)) return b("string.from", [], ERROR);
      return b("string.from", [expectArg(cx, e.args[0].value, STRING)], STRING);
    }
    case "Atomic.new": {
      if (!arity(1)) return b("atomic.new", [], ERROR);
      const innerExp = exp && exp.kind === "atomic" ? exp.inner : undefined;
      let v = cx.checkExpr(e.args[0].value, innerExp);
      if (innerExp) v = cx.coerce(v, innerExp, e.args[0].value.span);
      const inner = T(v);
      cx.deferred.push(() => {
        if (!atomicInnerOk(inner)) {
          cx.err(Codes.AtomicInvalidInnerType, `Atomic[${show(inner)}] is not supported: the inner type must be an integer or bool`, e.args[0].value.span);
        }
      });
      if (!atomicInnerOk(inner)) return b("atomic.new", [v], ERROR);
      return b("atomic.new", [v], { kind: "atomic", inner }, [inner]);
    }
    case "Mutex.new": {
      if (!arity(1)) return b("mutex.new", [], ERROR);
      const innerExp = exp && exp.kind === "mutex" ? exp.inner : undefined;
      let v = cx.checkExpr(e.args[0].value, innerExp);
      v = innerExp ? cx.coerce(cx.own(v), innerExp, e.args[0].value.span) : cx.own(v);
      return b("mutex.new", [v], { kind: "mutex", inner: T(v) }, [T(v)]);
    }
    case "Channel.new":
      return checkChannelNew(cx, undefined, e.args, span, exp);
    case "TaskGroup.new":
      if (!arity(0)) return b("taskgroup.new", [], ERROR);
      return b("taskgroup.new", [], { kind: "taskGroup" });
    case "Map.new": {
      if (!arity(0)) return b("map.new", [], ERROR);
      const t: Ty = exp && exp.kind === "map" ? exp : { kind: "map", key: freshVar(), value: freshVar() };
      cx.requireHashKey((t as { key: Ty }).key, span);
      return b("map.new", [], t, [(t as { key: Ty }).key, (t as { value: Ty }).value]);
    }
    case "Set.new": {
      if (!arity(0)) return b("set.new", [], ERROR);
      const t: Ty = exp && exp.kind === "set" ? exp : { kind: "set", elem: freshVar() };
      cx.requireHashKey((t as { elem: Ty }).elem, span);
      return b("set.new", [], t, [(t as { elem: Ty }).elem]);
    }
    case "String.with_capacity": {
      if (!arity(1)) return b("string.new", [], ERROR);
      expectArg(cx, e.args[0].value, I64);
      return b("string.new", [], STRING);
    }
  }
  if (typeName === "char" && m === "try_from") {
    if (!arity(1)) return b("char.try_from", [], ERROR);
    const n = cx.checkExpr(e.args[0].value, I64);
    if (!isIntLike(T(n)) && !isError(T(n))) cx.mismatch(I64, T(n), e.args[0].value.span);
    defaultLiterals(T(n));
    return b("char.try_from", [n], resultOf(cx, CHAR, T(n)), [T(n)]);
  }
  if ((typeName === "f64" || typeName === "f32") && m === "parse") {
    if (!arity(1)) return b("float.parse", [], ERROR);
    const t: Ty = { kind: "float", bits: typeName === "f32" ? 32 : 64 };
    return b("float.parse", [expectArg(cx, e.args[0].value, STRING)], optionOf(cx, t), [t]);
  }
  if (isIntName(typeName) && m === "parse") {
    if (!arity(1)) return b("int.parse", [], ERROR);
    const s = expectArg(cx, e.args[0].value, STRING);
    const t = intTy(typeName);
    return b("int.parse", [s], optionOf(cx, t), [t]);
  }
  const coll = checkCollectionConstructor(cx, typeName, e, exp);
  if (coll) return coll;
  const builtinConversion = checkStaticConversion(cx, typeName, e, exp);
  if (builtinConversion) return builtinConversion;
  if (cx.table.structs.has(typeName) || cx.table.enums.has(typeName)) {
    cx.err(Codes.NoMethod, `no associated function or variant named '${m}' on type ${typeName}`, e.method.span);
  } else {
    cx.err(Codes.NoMethod, `no associated function '${m}' on type ${typeName}`, e.method.span);
  }
  cx.checkArgsLoose(e.args);
  return mk({ kind: "error" }, ERROR, span);
}

export function expectArg(cx: CheckContext, e: Expr, t: Ty): TExpr {
  const v = cx.checkExpr(e, t);
  return cx.coerce(v, t, e.span);
}

export function optionOf(cx: CheckContext, t: Ty): Ty {
  return { kind: "enum", name: "Option", flavor: "plain", args: [t] };
}

export function resultOf(cx: CheckContext, t: Ty, e: Ty): Ty {
  return { kind: "enum", name: "Result", flavor: "plain", args: [t, e] };
}

/** Literal MemoryOrdering arguments at the end of an atomic call (E0270 when missing / not literal). */
export function orderings(cx: CheckContext, args: Arg[], n: number, what: string, span: Span): MemoryOrdering[] {
  const out: MemoryOrdering[] = [];
  const sig = `${what} takes ${n === 1 ? "(ordering: MemoryOrdering)" : `${n} MemoryOrdering arguments`}`;
  if (args.length < n) {
    cx.err(Codes.AtomicMissingOrdering, `${sig}: every atomic operation requires an explicit MemoryOrdering, e.g. MemoryOrdering.SeqCst`, span);
    return [];
  }
  for (const a of args.slice(args.length - n)) {
    const v = a.value;
    if (v.kind === "field" && v.object.kind === "ident" && v.object.name === "MemoryOrdering" && ORDERINGS.has(v.name.name)) {
      out.push(v.name.name as MemoryOrdering);
    } else {
      cx.err(Codes.AtomicMissingOrdering, `${sig}: the ordering must be a literal MemoryOrdering.X (Relaxed, Acquire, Release, AcqRel or SeqCst)`, v.span);
      return [];
    }
  }
  return out;
}
