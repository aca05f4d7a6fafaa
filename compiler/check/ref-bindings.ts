// `let x = ref <place>;` — a read-only borrow of a place (karac's repair for moving an element out of
// a container, check/index-moves.ts). The binding names the value the place holds without copying
// it, and owns nothing, so nothing is dropped when it goes out of scope. It cannot be assigned,
// mutably borrowed or moved (a move is E0285; a copy is `x.clone()`).
//
// The binding is a local with the `ref` mode (the mode `ref` parameters have, which the drop and
// move analysis already treat as borrowed). Codegen points it at the place's storage, so it is a
// live view of the element (codegen/lower/function.ts `refBinding`). A map lookup `m[k]` is not
// storage of its own: that binding holds, and drops, a copy of the value.

import type { Stmt } from "../syntax/ast.js";
import type { TStmt } from "../tir/nodes.js";
import { Codes } from "./codes.js";
import { asType, tyOf } from "./builder.js";
import { type CheckContext, mk } from "./context.js";
import { checkPlaceForRead } from "./expr/places.js";
import { ERROR, unify } from "./types.js";

/** Place expressions a `ref` binding can borrow: names, fields and indexed elements. */
const PLACE_KINDS = new Set(["ident", "field", "index"]);

export function checkRefLet(cx: CheckContext, s: Stmt & { kind: "let" }): TStmt | undefined {
  const value = s.value!;
  const p = s.pattern;
  let ok = true;
  if (p.kind !== "bind" || p.mut || p.sub) {
    cx.err(Codes.RefBindingForm, "a `ref` binding binds one name, without `mut` (it is a read-only borrow)", p.span);
    ok = false;
  }
  if (s.elseBlock) {
    cx.err(Codes.RefBindingForm, "a `ref` binding always matches; it takes no `else` block", s.elseBlock.span);
    ok = false;
  }
  const isPlace = PLACE_KINDS.has(value.kind) && !(value.kind === "field" && value.optional) && !(value.kind === "index" && value.indices.length === 1 && value.indices[0].kind === "range");
  const place = isPlace ? checkPlaceForRead(cx, value) : undefined;
  if (!isPlace) {
    cx.checkExpr(value);
    cx.err(Codes.RefBindingForm, "`ref` borrows a place (a variable, a field or an element `v[i]`); bind this value with a plain `let`", value.span);
    ok = false;
  }
  let ty = place ? tyOf(place.type) : ERROR;
  if (s.type) {
    const ann = cx.resolveTy(s.type);
    if (place && !unify(ty, ann)) cx.mismatch(ann, ty, value.span);
    ty = ann;
  }
  if (!ok || !place || p.kind !== "bind") {
    // Declare the names anyway so later uses do not cascade into undefined-name errors.
    if (p.kind === "bind") cx.b.declare(p.name, cx.b.newLocal(p.name, ERROR, "let", false, "owned", p.span));
    return undefined;
  }
  // A map lookup `m[k]` yields a value rather than naming storage: the binding holds (and drops)
  // its own copy of it, still read-only.
  const lookup = place.kind === "temp";
  const id = cx.b.newLocal(p.name, ty, "let", false, lookup ? "owned" : "ref", p.span);
  cx.b.declare(p.name, id);
  const read = mk({ kind: "read", place }, ty, value.span);
  const init = lookup ? cx.own(read) : read;
  return { kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span: p.span }, init, span: s.span };
}
