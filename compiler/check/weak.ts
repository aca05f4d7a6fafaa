// `weak T` for a `shared` T (karac core semantics §6.5): a handle that does not keep the object
// alive, used for back-edges (`mut parent: weak Node`, `Vec[weak Node]`) so cycles can be freed.
//  - A slot of type `weak T` accepts a `T` (the handle is downgraded) or an `Option[T]` (`None`
//    stores an empty handle).
//  - Reading a `weak T` place (a local, a field, an element) yields `Option[T]`: `Some(object)`
//    while any strong handle still holds it, else `None`.
// Codegen: lower/rc.ts (weak counts, upgrade).

import type { TExpr, TPlace } from "../tir/nodes.js";
import { asType } from "./builder.js";
import { type CheckContext, mk } from "./context.js";
import { resolve, unify, type Ty } from "./types.js";

/** `e` (of type `from`) fitted into a `weak T` slot, or undefined when it is neither a T nor an Option[T]. */
export function toWeak(e: TExpr, from: Ty, target: Ty & { kind: "weak" }): TExpr | undefined {
  const f = resolve(from);
  const inner = resolve(target.inner);
  if ((f.kind === "struct" || f.kind === "enum") && f.name === (inner as { name?: string }).name && f.name !== "Option" && unify(f, inner)) {
    return mk({ kind: "builtin", op: "weak.downgrade", args: [e], typeArgs: [asType(inner)] }, target, e.span);
  }
  if (f.kind === "enum" && f.name === "Option" && f.args.length === 1 && unify(f.args[0], inner)) {
    return mk({ kind: "builtin", op: "weak.from_option", args: [e], typeArgs: [asType(inner)] }, target, e.span);
  }
  return undefined;
}

/** A read of `place`: a `weak T` place reads as the `Option[T]` its upgrade gives. */
export function readPlace(cx: CheckContext, place: TPlace, ty: Ty, span: TExpr["span"]): TExpr {
  const r = resolve(ty);
  if (r.kind !== "weak") return mk({ kind: "read", place }, ty, span);
  return mk({ kind: "builtin", op: "weak.upgrade", receiver: { kind: "place", place }, args: [], typeArgs: [asType(r.inner)] }, cx.optionOf(r.inner), span);
}
