// List, map and set literals, struct literals (with `..base`), struct-like enum variants.

import type { Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import { asType, tyOf } from "../builder.js";
import type { EnumInfo } from "../items.js";
import type { TBlock, TExpr, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { ERROR, I64, freshVar, isError, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";

export function checkList(cx: CheckContext, e: Expr & { kind: "list" }, exp?: Ty): TExpr {
  if (e.entries) {
    const kExp = exp?.kind === "map" ? exp.key : undefined;
    const vExp = exp?.kind === "map" ? exp.value : undefined;
    let key: Ty = kExp ?? freshVar();
    let value: Ty = vExp ?? freshVar();
    const entries: [TExpr, TExpr][] = e.entries.map(([k, v], i) => {
      let tk = cx.checkExpr(k, i || kExp ? key : undefined);
      let tv = cx.checkExpr(v, i || vExp ? value : undefined);
      if (i === 0 && !kExp) {
        unify(key, T(tk));
        key = T(tk);
      } else tk = cx.coerce(tk, key, k.span);
      if (i === 0 && !vExp) {
        unify(value, T(tv));
        value = T(tv);
        tv = cx.own(tv);
      } else tv = cx.coerce(cx.own(tv), value, v.span);
      return [cx.own(tk), tv];
    });
    // A literal takes the expected SortedMap / SortedSet / VecDeque flavour of its storage.
    if (exp?.kind === "map" && exp.sorted) return mk({ kind: "mapLit", entries }, { kind: "map", key, value, sorted: true }, e.span);
    cx.requireHashKey(key, e.span);
    return mk({ kind: "mapLit", entries }, { kind: "map", key, value }, e.span);
  }
  if (e.prefix === "Set") {
    const elemExp = exp?.kind === "set" ? exp.elem : undefined;
    let elem: Ty = elemExp ?? freshVar();
    const elems = e.elems.map((x, i) => {
      const v = cx.checkExpr(x, i || elemExp ? elem : undefined);
      if (i === 0 && !elemExp) {
        unify(elem, T(v));
        elem = T(v);
        return cx.own(v);
      }
      return cx.coerce(cx.own(v), elem, x.span);
    });
    if (exp?.kind === "set" && exp.sorted) return mk({ kind: "setLit", elems }, { kind: "set", elem, sorted: true }, e.span);
    cx.requireHashKey(elem, e.span);
    return mk({ kind: "setLit", elems }, { kind: "set", elem }, e.span);
  }
  if (e.prefix === "Map") {
    cx.err(Codes.Mismatch, 'a Map literal needs key: value entries, e.g. Map["a": 1]; use Map.new() for an empty map', e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const asArray = e.prefix === "Array" || (!e.prefix && exp?.kind === "array");
  const elemExp = exp && (exp.kind === "vec" || exp.kind === "array" || exp.kind === "slice") ? exp.elem : undefined;
  if (e.repeat) {
    let v = cx.checkExpr(e.repeat.value, elemExp);
    v = elemExp ? cx.coerce(cx.own(v), elemExp, e.repeat.value.span) : cx.own(v);
    if (asArray) {
      const c = e.repeat.count;
      if (c.kind !== "int") {
        cx.err(Codes.Mismatch, "the length of an array repeat literal must be an integer literal", c.span);
        return mk({ kind: "error" }, ERROR, e.span);
      }
      const len = Number(c.value);
      let ty: Ty = { kind: "array", elem: T(v), len };
      if (exp?.kind === "array" && exp.len !== len) {
        cx.mismatch(exp, ty, e.span);
        ty = ERROR;
      }
      return mk({ kind: "arrayRepeat", value: v, count: len }, ty, e.span);
    }
    const c = e.repeat.count;
    if (c.kind === "unary" && c.op === "-" && c.operand.kind === "int" && Number(c.operand.value) !== 0) {
      // Known before the program runs, so reported here rather than left to the run-time panic.
      cx.err(Codes.LiteralOutOfRange, `the length of a repeat literal cannot be negative (here -${c.operand.value})`, c.span);
    }
    const count = cx.expectArg(c, I64);
    return mk({ kind: "vecRepeat", value: v, count }, exp?.kind === "vec" && exp.deque ? { kind: "vec", elem: T(v), deque: true } : { kind: "vec", elem: T(v) }, e.span);
  }
  let elem: Ty = elemExp ?? freshVar();
  const elems: TExpr[] = [];
  for (const x of e.elems) {
    const v = cx.checkExpr(x, resolve(elem).kind === "var" && !(resolve(elem) as { lit?: string }).lit ? undefined : elem);
    if (elems.length === 0 && !elemExp) {
      unify(elem, T(v));
      elem = T(v);
      elems.push(cx.own(v));
    } else {
      elems.push(cx.coerce(cx.own(v), elem, x.span));
    }
  }
  if (asArray) {
    const ty: Ty = { kind: "array", elem, len: elems.length };
    if (exp?.kind === "array" && exp.len !== elems.length) {
      cx.err(Codes.Mismatch, `mismatched types: expected an array of ${exp.len} elements, found ${elems.length}`, e.span);
      return mk({ kind: "arrayLit", elems }, ERROR, e.span);
    }
    return mk({ kind: "arrayLit", elems }, ty, e.span);
  }
  return mk({ kind: "vecLit", elems }, exp?.kind === "vec" && exp.deque ? { kind: "vec", elem, deque: true } : { kind: "vec", elem }, e.span);
}

export function checkStructLit(cx: CheckContext, e: Expr & { kind: "structLit" }): TExpr {
  let path = e.path;
  if (path.length === 1 && path[0] === "Self" && cx.selfName()) path = [cx.selfName()!];
  if (path.length === 2) {
    const en = cx.table.enums.get(path[0]);
    if (en) {
      const i = en.variants.findIndex((v) => v.name === path[1]);
      if (i >= 0 && en.variants[i].shape === "struct") {
        if (e.base) cx.err(Codes.Mismatch, "struct update syntax `..base` applies to structs, not enum variants", e.base.span);
        return checkVariantStructLit(cx, en, i, e);
      }
    }
    cx.err(Codes.Undefined, `undefined struct variant '${path.join(".")}'`, e.span, "resolve");
    for (const f of e.fields) cx.checkExpr(f.value);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const name = path[0];
  const info = cx.table.structs.get(name);
  if (!info) {
    const v = cx.table.findVariant(name);
    if (v && v.e.variants[v.index].shape === "struct") {
      if (e.base) cx.err(Codes.Mismatch, "struct update syntax `..base` applies to structs, not enum variants", e.base.span);
      return checkVariantStructLit(cx, v.e, v.index, e);
    }
    cx.err(Codes.Undefined, `undefined struct '${name}'`, e.span, "resolve");
    for (const f of e.fields) cx.checkExpr(f.value);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const ty = cx.table.structTy(info) as Ty & { args: Ty[] };
  const fields = cx.table.structFields(info, ty.args);
  const out: { index: number; value: TExpr }[] = [];
  const seen = new Set<string>();
  for (const f of e.fields) {
    const i = fields.findIndex((x) => x.name === f.name.name);
    if (i < 0) {
      cx.err(Codes.ExtraField, `struct ${name} has no field named \`${f.name.name}\``, f.name.span);
      cx.checkExpr(f.value);
      continue;
    }
    if (seen.has(f.name.name)) {
      cx.err(Codes.Duplicate, `field \`${f.name.name}\` specified more than once`, f.name.span);
      continue;
    }
    seen.add(f.name.name);
    const v = cx.checkExpr(f.value, fields[i].type);
    out.push({ index: i, value: cx.coerce(cx.own(v), fields[i].type, f.value.span) });
  }
  if (e.base) return structUpdate(cx, name, ty, fields, out, e.base, e.span);
  const missing = fields.filter((f) => !seen.has(f.name)).map((f) => f.name);
  const misspelt = e.fields.some((f) => !fields.some((x) => x.name === f.name.name));
  if (missing.length && !misspelt) {
    cx.err(Codes.MissingFields, `missing field${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")} in initializer of ${name}`, e.span);
  }
  return mk({ kind: "struct", struct: name, fields: out }, ty, e.span);
}

/**
 * `S { a: e1, ..base }`: the written fields are evaluated first (source order), then `base` once;
 * the fields not written are copied out of it. A temporary base is dropped with the block.
 */
export function structUpdate(cx: CheckContext, name: string, ty: Ty, fields: { name: string; type: Ty }[], written: { index: number; value: TExpr }[], baseE: Expr, span: Span): TExpr {
  const b = cx.b;
  b.pushScope();
  const stmts: TStmt[] = [];
  const local = (label: string, t: Ty, init: TExpr): TPlace => {
    const id = b.newLocal(label, t, "temp", false, "owned", init.span);
    b.declare(label, id);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(t), span: init.span } as TPattern, init, span: init.span });
    return { kind: "local", local: id, type: asType(t), span: init.span };
  };
  const out = written.map((f, k) => {
    const place = local(`$field${k}`, tyOf(f.value.type), f.value);
    return { index: f.index, value: cx.own(mk({ kind: "read", place }, tyOf(place.type), f.value.span)) };
  });
  const base = cx.checkExpr(baseE, ty);
  let basePlace: TPlace | undefined;
  if (!unify(T(base), ty)) {
    if (!isError(T(base))) cx.err(Codes.Mismatch, `mismatched types: the base of a struct update must be ${show(ty)}, found ${show(T(base))}`, baseE.span);
  } else if (base.kind === "read") {
    // A place is only read (its unwritten fields are copied), so it stays usable afterwards.
    basePlace = base.place;
  } else basePlace = local("$base", ty, cx.own(base));
  if (basePlace) {
    fields.forEach((f, i) => {
      if (written.some((w) => w.index === i)) return;
      // Each field read gets its own copy of the base place: the typed program is a tree.
      const place: TPlace = { kind: "field", base: structuredClone(basePlace!), index: i, type: asType(f.type), span: baseE.span };
      out.push({ index: i, value: cx.own(mk({ kind: "read", place }, f.type, baseE.span)) });
    });
  }
  const lit = mk({ kind: "struct", struct: name, fields: out }, basePlace ? ty : ERROR, span);
  const drops = b.popScope();
  return { kind: "block", stmts, tail: lit, drops, type: asType(T(lit)), span } as TBlock;
}

export function checkVariantStructLit(cx: CheckContext, en: EnumInfo, index: number, e: Expr & { kind: "structLit" }): TExpr {
  const v = en.variants[index];
  const ety = cx.table.enumTy(en) as Ty & { args: Ty[] };
  const types = cx.table.variantTypes(en, v, ety.args);
  const payload: (TExpr | undefined)[] = types.map(() => undefined);
  for (const f of e.fields) {
    const i = v.names.indexOf(f.name.name);
    if (i < 0) {
      cx.err(Codes.ExtraField, `variant ${en.name}.${v.name} has no field named \`${f.name.name}\``, f.name.span);
      cx.checkExpr(f.value);
      continue;
    }
    payload[i] = cx.coerce(cx.own(cx.checkExpr(f.value, types[i])), types[i], f.value.span);
  }
  const missing = v.names.filter((_, i) => !payload[i]);
  if (missing.length) {
    cx.err(Codes.MissingFields, `missing field${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")} in initializer of ${en.name}.${v.name}`, e.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  return mk({ kind: "variant", enum: en.name, variant: index, payload: payload as TExpr[] }, ety, e.span);
}
