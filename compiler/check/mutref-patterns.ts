// Pattern bindings through a `mut ref` (karac: match ergonomics under a borrowed scrutinee). When
// the scrutinee of `match` / `if let` / `while let` is a place reached through a `mut ref` binding
// (`e: mut ref E`, `mut ref self`, `self.slot`, or a binding made this way), each name bound inside
// a variant, struct or tuple pattern is itself a `mut ref` to that part of the value: `V(xs) =>
// xs.push(1)` or `Some(n) => n += 1` change the caller's value in place, and nothing is copied or
// freed. Codegen keeps such a binding as the address of the payload slot (like a `lock` alias).
// A binding of the whole scrutinee, and bindings inside slice patterns, stay ordinary copies.

import type { TExpr, TFunction, TPattern, TPlace } from "../tir/nodes.js";

export function aliasBindingsThroughMutRef(fn: TFunction, scrutinee: TExpr, pattern: TPattern): void {
  if (!reachedThroughMutRef(fn, scrutinee)) return;
  const mark = (p: TPattern, nested: boolean): void => {
    switch (p.kind) {
      case "bind":
        if (nested) {
          const l = fn.locals[p.local];
          l.mode = "mutref";
          l.mut = true;
        }
        if (p.sub) mark(p.sub, nested);
        return;
      case "tuple":
        for (const e of p.elems) mark(e, true);
        return;
      case "struct":
        for (const f of p.fields) mark(f.pattern, true);
        return;
      case "variant":
        for (const a of p.args) mark(a, true);
        return;
      case "or":
        for (const a of p.alts) mark(a, nested);
        return;
      default:
        return;
    }
  };
  mark(pattern, false);
}

/** Is the scrutinee a read of a place whose root is a `mut ref` parameter or binding? */
function reachedThroughMutRef(fn: TFunction, e: TExpr): boolean {
  let x: TExpr = e;
  // Markers and conversions the checker may wrap around a plain read.
  while ((x as { kind: string }).kind === "$own" || x.kind === "coerce") x = (x as unknown as { value: TExpr }).value;
  if (x.kind !== "read") return false;
  let p: TPlace = x.place;
  while (p.kind === "field" || p.kind === "tupleField") p = p.base;
  if (p.kind !== "local") return false;
  const l = fn.locals[p.local];
  return l.mode === "mutref" && (l.kind === "param" || l.kind === "let");
}
