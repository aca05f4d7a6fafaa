// Places (locals, fields, indices, captured variables), mutability, and name/field/index reads.

import type { Arg, Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { Builder, asType, tyOf } from "../builder.js";
import { entryPlace, isEntryCall } from "../map-places.js";
import { entrySlotOf } from "./entry-bindings.js";
import { checkOptionalChain } from "../operators-optional.js";
import { isMutSlice } from "../mut-slice.js";
import type { EnumInfo } from "../items.js";
import type { BuiltinOp, LocalId, TExpr, TPlace } from "../../tir/nodes.js";
import { ERROR, I64, STRING, intTy, isError, isIntName, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import { exprAsType } from "../syntax-helpers.js";
import { readPlace } from "../weak.js";
import { markIndexRead } from "../index-moves.js";

/** Resolve an expression that denotes a memory location; undefined (with a diagnostic) when it does not. */
export function checkPlace(cx: CheckContext, e: Expr): TPlace | undefined {
  switch (e.kind) {
    case "ident": {
      const slot = entrySlotOf(e);
      if (slot) return checkPlace(cx, slot);
      const id = cx.lookupLocal(cx.b, e.name, e.span);
      if (id === "sibling") {
        siblingError(cx, e.name, e.span);
        return undefined;
      }
      if (id !== undefined) return { kind: "local", local: id, type: asType(cx.b.localTy(id)), span: e.span };
      const g = cx.globals.get(e.name);
      if (g) return { kind: "global", global: g.id, type: asType(g.ty), span: e.span };
      undefinedName(cx, e.name, e.span);
      return undefined;
    }
    case "field": {
      if (e.optional) {
        cx.err(Codes.NotAPlace, "an optional chain `a?.b` is a value, not a place: use `if let Some(x) = ..` to change it", e.span);
        return undefined;
      }
      if (isTypeLike(cx, e.object)) {
        cx.err(Codes.NotAPlace, "cannot assign to this expression", e.span);
        return undefined;
      }
      const base = placeOrTemp(cx, e.object);
      if (!base) return undefined;
      return fieldPlace(cx, base, e.name.name, e.name.span, e.span);
    }
    case "index": {
      const base = placeOrTemp(cx, e.object);
      if (!base) return undefined;
      return indexPlace(cx, base, e.indices, e.span);
    }
    case "unary":
      if (e.op === "*") return checkPlace(cx, e.operand);
      break;
    case "methodCall":
      if (isEntryCall(e)) return entryPlace(cx, e);
      break;
  }
  cx.err(Codes.NotAPlace, "invalid left-hand side of assignment", e.span);
  return undefined;
}

/** A place for `e`, or a temporary holding its value when `e` is not a place expression. */
export function placeOrTemp(cx: CheckContext, e: Expr): TPlace | undefined {
  if (isEntryCall(e)) return entryPlace(cx, e);
  if (e.kind === "ident" || (e.kind === "field" && !e.optional) || e.kind === "index" || (e.kind === "unary" && e.op === "*")) {
    if (e.kind === "index" && e.indices.length === 1 && e.indices[0].kind === "range") {
      const v = cx.checkExpr(e);
      return { kind: "temp", value: v, type: v.type, span: e.span };
    }
    if (e.kind === "field" && isTypeLike(cx, e.object)) {
      const v = cx.checkExpr(e);
      return { kind: "temp", value: v, type: v.type, span: e.span };
    }
    return checkPlace(cx, e);
  }
  const v = cx.checkExpr(e);
  if (isError(T(v))) return undefined;
  return { kind: "temp", value: v, type: v.type, span: e.span };
}

export function fieldPlace(cx: CheckContext, base: TPlace, name: string, nameSpan: Span, span: Span): TPlace | undefined {
  const bt = resolve(tyOf(base.type));
  if (bt.kind === "error") return undefined;
  if (bt.kind === "tuple" && /^[0-9]+$/.test(name)) {
    const i = Number(name);
    if (i >= bt.elems.length) {
      cx.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
      return undefined;
    }
    return { kind: "tupleField", base, index: i, type: asType(bt.elems[i]), span };
  }
  if (bt.kind === "struct") {
    const info = cx.table.structs.get(bt.name)!;
    const fields = cx.table.structFields(info, bt.args);
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0) {
      cx.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
      return undefined;
    }
    return { kind: "field", base, index: i, type: asType(fields[i].type), span };
  }
  if (bt.kind === "var") {
    cx.err(Codes.NeedsAnnotation, `type annotations needed: the type of this value must be known to access field \`${name}\``, span);
    return undefined;
  }
  cx.err(Codes.NoField, `no field \`${name}\` on type ${show(bt)}`, nameSpan);
  return undefined;
}

export function indexPlace(cx: CheckContext, base: TPlace, indices: Expr[], span: Span): TPlace | undefined {
  const bt = resolve(tyOf(base.type));
  if (indices.length !== 1) {
    cx.err(Codes.BadIndex, "expected exactly one index", span);
    return undefined;
  }
  if (bt.kind === "map") {
    const key = cx.checkExpr(indices[0], bt.key);
    if (!unify(T(key), bt.key)) {
      cx.mismatch(bt.key, T(key), indices[0].span);
      return undefined;
    }
    const read = mk(
      { kind: "builtin", op: "map.index", receiver: { kind: "place", place: base }, args: [key], typeArgs: [asType(bt.key), asType(bt.value)] },
      bt.value,
      span,
    );
    return { kind: "temp", value: read, type: asType(bt.value), span };
  }
  const idx = indexAsI64(cx, cx.checkExpr(indices[0], I64));
  if (bt.kind === "error") return undefined;
  if (!idx) return undefined;
  if (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") {
    return { kind: "index", base, index: idx, coll: bt.kind, type: asType(bt.elem), span };
  }
  if (bt.kind === "string") {
    cx.err(Codes.StringNotIndexable, "strings cannot be indexed by position; use s.chars(), s.bytes() or a range s[a..b]", span);
    return undefined;
  }
  cx.err(Codes.BadIndex, `cannot index into a value of type ${show(bt)}`, span);
  return undefined;
}

/** Root analysis for writes: is the place mutable? Marks by-reference captures. */
export function requireMutable(cx: CheckContext, place: TPlace, span: Span, what: "assign" | "borrow"): boolean {
  // Mutating methods of a `mut Slice[T]` (sort, swap, reverse) write its elements, not the binding.
  if (what === "borrow" && isMutSlice(tyOf(place.type))) return true;
  let p: TPlace = place;
  for (;;) {
    if (p.kind === "field") {
      const bt = resolve(tyOf(p.base.type));
      if (bt.kind === "struct" && bt.flavor !== "plain") {
        const info = cx.table.structs.get(bt.name)!;
        const f = info.fields[p.index];
        if (f.mut) return true;
        if (what === "assign") {
          cx.err(Codes.SharedFieldNotMut, `cannot assign to field \`${f.name}\` of ${bt.flavor} struct ${bt.name}: declare it \`mut ${f.name}\``, span);
          return false;
        }
        return true;
      }
      p = p.base;
      continue;
    }
    // Elements behind a `mut Slice[T]` view are writable whatever the binding.
    if (p.kind === "index" && isMutSlice(tyOf(p.base.type))) return true;
    if (p.kind === "tupleField" || p.kind === "index") {
      p = p.base;
      continue;
    }
    break;
  }
  if (p.kind === "temp") return true;
  if (p.kind === "global") {
    const g = [...cx.globals.entries()].find(([, v]) => v.id === (p as { global: number }).global);
    if (g && !g[1].mut) {
      cx.err(Codes.AssignImmutable, `cannot assign to constant '${g[0]}'`, span);
      return false;
    }
    return true;
  }
  const l = cx.b.local(p.local);
  const writable = l.mut || l.mode === "mutref" || (p === place && what === "assign" && cx.b.deferredInit.has(p.local));
  if (!writable) {
    if (what === "assign" && p !== place)
      cx.err(Codes.AssignImmutable, `cannot assign to a part of immutable variable '${l.name}'; declare it with \`let mut ${l.name}\``, span);
    else if (what === "assign")
      cx.err(Codes.AssignImmutable, `cannot assign twice to immutable variable '${l.name}'`, span);
    else cx.err(Codes.BorrowImmutable, `cannot borrow immutable variable '${l.name}' as mutable; declare it with \`let mut ${l.name}\``, span);
    return false;
  }
  if (l.kind === "capture") captureWrite(cx, cx.b, p.local, span);
  return true;
}

/** A lifted body writes a captured variable: by reference for closures, E0408 in par branches. */
export function captureWrite(cx: CheckContext, b: Builder, id: LocalId, span: Span): void {
  const l = b.local(id);
  if (b.lift === "parBranch") {
    const t = resolve(b.localTy(id));
    if (t.kind === "atomic" || t.kind === "mutex") return;
    cx.err(
      Codes.ParCapturedWrite,
      `local let mut '${l.name}' cannot be written from inside par { } — each branch runs on its own thread, so the write races with the other branches; wrap it in Atomic[T], Mutex[T], or use a par struct`,
      span,
      "effect",
    );
    return;
  }
  b.makeByRef(id);
  // Nested lifted bodies: the parent's capture is written too.
  const parent = b.parent;
  const init = b.captureInits[l.captureIndex!];
  if (parent && parent.local(init.outer).kind === "capture") captureWrite(cx, parent, init.outer, span);
}

export function siblingError(cx: CheckContext, name: string, span: Span): void {
  cx.err(
    Codes.Undefined,
    `cannot read '${name}' from a sibling \`par\` branch: each top-level statement in a \`par { }\` block is a concurrent branch with its own scope; its bindings are only combinable after the join`,
    span,
    "resolve",
  );
}

export function undefinedName(cx: CheckContext, name: string, span: Span): void {
  if (cx.table.isTypeName(name)) {
    cx.err(Codes.WrongKind, `expected a value, found type '${name}'`, span, "resolve");
    return;
  }
  cx.err(Codes.Undefined, `undefined variable '${name}'`, span, "resolve");
}

/** Does the expression name a type (for `Type.assoc(..)`, `Enum.Variant`, `i64.MAX`)? */
export function isTypeLike(cx: CheckContext, e: Expr): boolean {
  if (e.kind !== "ident") return false;
  if (lookupLocalQuiet(cx, e.name)) return false;
  return cx.table.isTypeName(e.name) || e.name === "Self" || e.name === "i128" || e.name === "u128";
}

export function lookupLocalQuiet(cx: CheckContext, name: string): boolean {
  for (let b: Builder | undefined = cx.b; b; b = b.parent) if (b.findOwn(name) !== undefined) return true;
  return cx.globals.has(name);
}

export function checkPlaceForRead(cx: CheckContext, e: Expr): TPlace | undefined {
  if (e.kind === "field") {
    const base = placeOrTemp(cx, e.object);
    if (!base) return undefined;
    return fieldPlace(cx, base, e.name.name, e.name.span, e.span);
  }
  if (e.kind === "index") {
    const base = placeOrTemp(cx, e.object);
    if (!base) return undefined;
    return indexPlace(cx, base, e.indices, e.span);
  }
  return checkPlace(cx, e);
}

// ------------------------------------------------------------ identifiers & fields

export function checkIdent(cx: CheckContext, e: Expr & { kind: "ident" }, exp?: Ty): TExpr {
  const slot = entrySlotOf(e);
  if (slot) return cx.checkExpr(slot, exp);
  const id = cx.lookupLocal(cx.b, e.name, e.span);
  if (id === "sibling") {
    siblingError(cx, e.name, e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (id !== undefined) {
    const ty = cx.b.localTy(id);
    return readPlace(cx, { kind: "local", local: id, type: asType(ty), span: e.span }, ty, e.span);
  }
  const g = cx.globals.get(e.name);
  if (g) return mk({ kind: "read", place: { kind: "global", global: g.id, type: asType(g.ty), span: e.span } }, g.ty, e.span);
  const f = cx.table.fns.get(e.name);
  if (f && f.generics) return cx.genericFnRef(f, undefined, e.span, exp);
  if (f) return mk({ kind: "fnRef", fn: f.id }, { kind: "fn", params: f.sig.params.map((p) => p.type), ret: f.sig.ret }, e.span);
  const v = cx.table.findVariant(e.name, exp);
  if (v) return variantValue(cx, v.e, v.index, [], e.span, exp, e.span);
  undefinedName(cx, e.name, e.span);
  return mk({ kind: "error" }, ERROR, e.span);
}

export function checkField(cx: CheckContext, e: Expr & { kind: "field" }, exp?: Ty): TExpr {
  if (e.optional) return checkOptionalChain(cx, e, exp);
  if (e.object.kind === "ident" && isTypeLike(cx, e.object)) {
    return checkTypeMember(cx, e.object.name, e.name.name, e.span, exp, e.object.span);
  }
  const place = checkPlaceForRead(cx, e);
  if (!place) return mk({ kind: "error" }, ERROR, e.span);
  return readPlace(cx, place, tyOf(place.type), e.span);
}

/** `Type.member` without a call: enum unit variants, MemoryOrdering.X, i64.MAX, f64.NAN. */
export function checkTypeMember(cx: CheckContext, typeName: string, member: string, span: Span, exp: Ty | undefined, typeSpan: Span): TExpr {
  if (typeName === "i128" || typeName === "u128") {
    cx.err(Codes.Unsupported, "128-bit integers are not supported", typeSpan);
    return mk({ kind: "error" }, ERROR, span);
  }
  if (isIntName(typeName) && (member === "MAX" || member === "MIN")) {
    const t = intTy(typeName);
    return mk({ kind: "builtin", op: member === "MAX" ? "int.MAX" : "int.MIN", args: [], typeArgs: [asType(t)] }, t, span);
  }
  if ((typeName === "f64" || typeName === "f32") && (member === "NAN" || member === "INFINITY" || member === "EPSILON")) {
    const t: Ty = { kind: "float", bits: typeName === "f32" ? 32 : 64 };
    return mk({ kind: "builtin", op: `float.${member}` as BuiltinOp, args: [], typeArgs: [asType(t)] }, t, span);
  }
  if (typeName === "MemoryOrdering") {
    cx.err(Codes.AtomicMissingOrdering, "a MemoryOrdering may only be written as the literal argument of an atomic operation", span);
    return mk({ kind: "error" }, ERROR, span);
  }
  const en = cx.table.enums.get(typeName);
  if (en) {
    const i = en.variants.findIndex((v) => v.name === member);
    if (i < 0) {
      cx.err(Codes.UndefinedVariant, `no variant \`${member}\` in enum ${typeName}`, span);
      return mk({ kind: "error" }, ERROR, span);
    }
    return variantValue(cx, en, i, [], span, exp, span);
  }
  cx.err(Codes.NoField, `no associated item \`${member}\` on type ${typeName}`, span);
  void typeSpan;
  return mk({ kind: "error" }, ERROR, span);
}

/** Construct an enum variant value (unit variant, or tuple variant with checked args). */
export function variantValue(cx: CheckContext, en: EnumInfo, index: number, args: Arg[], span: Span, exp: Ty | undefined, calleeSpan: Span): TExpr {
  const v = en.variants[index];
  const ety = exp && resolve(exp).kind === "enum" && (resolve(exp) as { name: string }).name === en.name ? resolve(exp) : cx.table.enumTy(en);
  const eargs = (ety as { args: Ty[] }).args;
  const types = cx.table.variantTypes(en, v, eargs);
  if (v.shape === "struct") {
    cx.err(Codes.Mismatch, `variant ${en.name}.${v.name} has named fields: use ${en.name}.${v.name} { .. }`, span);
    return mk({ kind: "error" }, ERROR, span);
  }
  if (args.length !== types.length) {
    if (v.shape === "unit" && args.length > 0) cx.err(Codes.NotCallable, `${en.name}.${v.name} is a unit variant and takes no arguments`, calleeSpan);
    else cx.err(Codes.ArgCount, `variant ${v.name} takes ${types.length} argument${types.length === 1 ? "" : "s"} but ${args.length} were supplied`, span);
    return mk({ kind: "error" }, ERROR, span);
  }
  const payload = args.map((a, i) => cx.coerce(cx.own(cx.checkExpr(a.value, types[i])), types[i], a.value.span));
  return mk({ kind: "variant", enum: en.name, variant: index, payload }, ety, span);
}

export function checkIndex(cx: CheckContext, e: Expr & { kind: "index" }, exp?: Ty): TExpr {
  // `max_of[i64]` used as a value: a generic function instantiated with explicit type arguments.
  const gf = e.object.kind === "ident" && !lookupLocalQuiet(cx, e.object.name) ? cx.table.fns.get(e.object.name) : undefined;
  if (gf && e.object.kind === "ident") {
    if (!gf.generics) {
      cx.err(Codes.NotCallable, `function '${gf.name}' takes no type arguments`, e.span);
      return mk({ kind: "error" }, ERROR, e.span);
    }
    const explicit: Ty[] = [];
    for (const ix of e.indices) {
      const te = exprAsType(ix);
      if (!te) {
        cx.err(Codes.WrongKind, "expected a type argument", ix.span);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      explicit.push(cx.resolveTy(te));
    }
    return cx.genericFnRef(gf, explicit, e.span, exp);
  }
  // Prefix literals: Array[1, 2], Vec[1, 2], Set[1].
  if (e.object.kind === "ident" && !lookupLocalQuiet(cx, e.object.name) && ["Array", "Vec", "Set"].includes(e.object.name)) {
    return cx.checkList({ kind: "list", id: e.id, span: e.span, prefix: e.object.name, elems: e.indices }, exp);
  }
  if (e.indices.length === 1 && e.indices[0].kind === "range") {
    const base = cx.checkExpr(e.object);
    const rg = e.indices[0];
    const lo = rg.lo ? indexAsI64(cx, cx.checkExpr(rg.lo, I64)) : undefined;
    const hi = rg.hi ? indexAsI64(cx, cx.checkExpr(rg.hi, I64)) : undefined;
    const bt = resolve(T(base));
    let ty: Ty = ERROR;
    if (bt.kind === "string") ty = STRING;
    else if (bt.kind === "vec" || bt.kind === "array" || bt.kind === "slice") ty = { kind: "slice", elem: bt.elem, mut: false };
    else if (bt.kind !== "error") cx.err(Codes.BadIndex, `cannot slice a value of type ${show(bt)}`, e.span);
    return mk({ kind: "slice", base, lo, hi, inclusive: rg.inclusive }, ty, e.span);
  }
  const place = checkPlaceForRead(cx, e);
  if (!place) return mk({ kind: "error" }, ERROR, e.span);
  return markIndexRead(readPlace(cx, place, tyOf(place.type), e.span));
}

/**
 * An index or slice bound: any integer type (karac accepts them all), converted to the i64 that
 * indexing uses; a value that does not fit is negative or too large, so it fails the bounds check.
 */
function indexAsI64(cx: CheckContext, idx: TExpr): TExpr | undefined {
  if (unify(T(idx), I64)) return idx;
  const t = resolve(T(idx));
  if (t.kind === "error") return undefined;
  if (t.kind === "int") return mk({ kind: "cast", value: idx, from: asType(t), to: asType(I64) }, I64, idx.span);
  cx.err(Codes.BadIndex, `index must be an integer, found ${show(t)}`, idx.span);
  return undefined;
}
