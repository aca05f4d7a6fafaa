// In-place access to Map values (F13.4): `m[k] += 1`, `m[k].push(x)`, `m[k][i] = x` and the entry
// API `*m.entry(k).or_insert(d) += 1` / `m.entry(k).or_insert(Vec.new()).push(x)`.
//
// A Map read `m[k]` is checked as a `temp` place holding a "map.index" builtin (a copy of the value).
// When that place is written through, it becomes an `index` place with coll "map": the value's own
// slot, so the key is evaluated once and the update lands in the map.

import type { Expr, Span } from "../syntax/ast.js";
import { isOwnMarker, mk, ownMarker, unOwn, type CheckContext } from "./context.js";
import { asType, tyOf } from "./builder.js";
import { Codes } from "./codes.js";
import type { TExpr, TPlace } from "../tir/nodes.js";
import { resolve, show, unify, type Ty } from "./types.js";


/** Rewrite every Map read inside a place chain into the Map's value slot, so writes reach the map. */
export function writablePlace(p: TPlace): TPlace {
  switch (p.kind) {
    case "temp": {
      const v = p.value;
      if (v.kind === "builtin" && v.op === "map.index" && v.receiver?.kind === "place") {
        return { kind: "index", base: writablePlace(v.receiver.place), index: v.args[0], coll: "map", type: p.type, span: p.span };
      }
      return p;
    }
    case "field":
    case "tupleField":
      return { ...p, base: writablePlace(p.base) };
    case "index":
      return { ...p, base: writablePlace(p.base) };
    default:
      return p;
  }
}

const ENTRY_DEFAULTS = new Set(["or_insert", "or_insert_with", "or_default"]);

/** `m.entry(k).or_insert(d)` (or `or_insert_with(f)` / `or_default()`), possibly under a `*`. */
export function isEntryCall(e: Expr): boolean {
  return (
    e.kind === "methodCall" &&
    ENTRY_DEFAULTS.has(e.method.name) &&
    e.receiver.kind === "methodCall" &&
    e.receiver.method.name === "entry" &&
    e.receiver.args.length === 1
  );
}

/** The value slot of `m.entry(k).or_insert(d)`: inserts `d` under `k` when the key is missing. */
export function entryPlace(c: CheckContext, call: Expr): TPlace | undefined {
  const e = call as Expr & { kind: "methodCall" };
  const entry = e.receiver as Expr & { kind: "methodCall" };
  const base = c.checkPlace(entry.receiver);
  if (!base) return undefined;
  const mt = resolve(tyOf(base.type));
  if (mt.kind !== "map") {
    if (mt.kind !== "error") c.err(Codes.NoMethod, `no method named 'entry' found for ${show(mt)}`, entry.method.span);
    return undefined;
  }
  c.requireMutable(base, entry.receiver.span, "borrow");
  const keyE = entry.args[0].value;
  const key = c.checkExpr(keyE, mt.key);
  if (!unify(tyOf(key.type), mt.key)) c.mismatch(mt.key, tyOf(key.type), keyE.span);
  const V = mt.value;
  const name = e.method.name;
  const want = name === "or_default" ? 0 : 1;
  if (e.args.length !== want) {
    c.err(Codes.ArgCount, `method '${name}' takes ${want} argument${want === 1 ? "" : "s"} but ${e.args.length} were supplied`, e.span);
    return undefined;
  }
  let dflt: TExpr | undefined;
  if (name === "or_insert") {
    dflt = c.coerce(c.own(c.checkExpr(e.args[0].value, V)), V, e.args[0].value.span);
  } else if (name === "or_insert_with") {
    const fE = e.args[0].value;
    const fTy: Ty = { kind: "fn", params: [], ret: V };
    const f = fE.kind === "closure" ? c.checkClosure(fE, fTy, "closure") : c.checkExpr(fE, fTy);
    if (!unify(tyOf(f.type), fTy)) {
      c.mismatch(fTy, tyOf(f.type), fE.span);
      return undefined;
    }
    dflt = mk({ kind: "callValue", callee: f, args: [] }, V, fE.span);
  } else {
    dflt = defaultValue(V, e.span);
    if (!dflt) {
      c.err(Codes.Unsupported, `or_default() needs a value type with an obvious default, found ${show(resolve(V))}; use or_insert(..)`, e.span);
      return undefined;
    }
  }
  return { kind: "index", base, index: c.own(key), coll: "map", type: asType(V), span: e.span, orInsert: dflt };
}

/** `Default` for the builtin types a counter or bucket map uses. */
export function defaultValue(t: Ty, span: Span): TExpr | undefined {
  const r = resolve(t);
  switch (r.kind) {
    case "int":
      return mk({ kind: "int", value: 0n }, r, span);
    case "float":
      return mk({ kind: "float", value: 0 }, r, span);
    case "bool":
      return mk({ kind: "bool", value: false }, r, span);
    case "string":
      return mk({ kind: "string", value: "" }, r, span);
    case "vec":
      return mk({ kind: "builtin", op: "vec.new", args: [], typeArgs: [asType(r.elem)] }, r, span);
    default:
      return undefined;
  }
}

/**
 * A mutating method on a Map slot (`m.entry(w.len()).or_insert(..).push(w)`): the receiver is
 * evaluated after the arguments, so a key computed from something an argument moves would be read
 * too late. Such keys are bound to a temporary first, keeping source (receiver-first) order.
 */
export function hoistSlotKeys(c: CheckContext, e: TExpr): TExpr {
  if (e.kind !== "builtin" || e.receiver?.kind !== "place" || e.args.length === 0) return e;
  const stmts: import("../tir/nodes.js").TStmt[] = [];
  const drops: number[] = [];
  const visit = (p: TPlace): TPlace => {
    switch (p.kind) {
      case "field":
      case "tupleField":
        return { ...p, base: visit(p.base) };
      case "index": {
        const base = visit(p.base);
        if (p.coll !== "map" || simpleKey(p.index)) return { ...p, base };
        const inner = unOwn(p.index);
        const id = c.b.newLocal("$key", tyOf(inner.type), "temp", false, "owned", inner.span);
        stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: inner.type, span: inner.span } as import("../tir/nodes.js").TPattern, init: p.orInsert ? c.own(inner) : copyOf(inner), span: inner.span });
        drops.push(id);
        const read = mk({ kind: "read", place: { kind: "local", local: id, type: inner.type, span: inner.span } }, tyOf(inner.type), inner.span);
        return { ...p, base, index: p.orInsert ? c.own(read) : read };
      }
      default:
        return p;
    }
  };
  const place = visit(e.receiver.place);
  if (!stmts.length) return e;
  const call = { ...e, receiver: { kind: "place", place } } as TExpr;
  return { kind: "block", stmts, tail: call, drops, type: e.type, span: e.span } as TExpr;
}

function simpleKey(k: TExpr): boolean {
  const x = unOwn(k);
  if (x.kind === "int" || x.kind === "string" || x.kind === "char" || x.kind === "bool") return true;
  const t = resolve(tyOf(x.type)).kind;
  return x.kind === "read" && x.place.kind === "local" && (t === "int" || t === "char" || t === "bool");
}

/** A copy of a key that the lookup only borrows (the original stays usable). */
function copyOf(e: TExpr): TExpr {
  return isOwnMarker(e) ? e : ownMarker(e, true);
}
