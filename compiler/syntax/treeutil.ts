// Small pure helpers over syntax trees used while parsing: marking pattern bindings
// mutable, recognising struct-literal heads, and reading expressions written in type
// position (`Pair[i64, String] { .. }`).

import type * as A from "./ast.js";
import { identClass } from "./names.js";

// `let mut (a, b) = ..` makes every binding of the pattern mutable.
export function markMut(p: A.Pattern): void {
  switch (p.kind) {
    case "bind":
      p.mut = true;
      if (p.sub) markMut(p.sub);
      break;
    case "tuple":
    case "slice":
      p.elems.forEach(markMut);
      break;
    case "variant":
      p.args?.forEach(markMut);
      break;
    case "struct":
      p.fields.forEach((f) => markMut(f.pattern));
      break;
    case "or":
      p.alts.forEach(markMut);
      break;
    default:
      break;
  }
}

// The path of an expression that can head a struct literal: `Name`, `a.B`, `Name[T]`.
export function pathOf(e: A.Expr | undefined): { path: string[]; typeArgs: A.Expr[] } | undefined {
  if (!e) return undefined;
  if (e.kind === "ident") return identClass(e.name) === "value" ? undefined : { path: [e.name], typeArgs: [] };
  if (e.kind === "field") {
    const inner = plainPath(e.object);
    if (!inner || identClass(e.name.name) === "value") return undefined;
    return { path: [...inner, e.name.name], typeArgs: [] };
  }
  if (e.kind === "index") {
    const p = pathOf(e.object);
    if (!p || p.typeArgs.length > 0) return undefined;
    return { path: p.path, typeArgs: e.indices };
  }
  return undefined;
}

export function plainPath(e: A.Expr): string[] | undefined {
  if (e.kind === "ident") return [e.name];
  if (e.kind === "field" && !e.optional) {
    const inner = plainPath(e.object);
    return inner ? [...inner, e.name.name] : undefined;
  }
  return undefined;
}

// Generic arguments written in expression position (`Pair[i64, String] { .. }`).
export function exprToTypeArg(e: A.Expr): A.TypeArg {
  const base = { id: e.id, span: e.span };
  if (e.kind === "ident") {
    if (e.name === "Self") return { ...base, kind: "self" };
    if (e.name === "_") return { ...base, kind: "infer" };
    return { ...base, kind: "named", path: [e.name], args: [] };
  }
  const path = plainPath(e);
  if (path) return { ...base, kind: "named", path, args: [] };
  if (e.kind === "index") {
    const p = plainPath(e.object);
    if (p) return { ...base, kind: "named", path: p, args: e.indices.map(exprToTypeArg) };
  }
  if (e.kind === "tuple") return { ...base, kind: "tuple", elems: e.elems.map((x) => exprToTypeArg(x) as A.TypeExpr) };
  if (e.kind === "unit") return { ...base, kind: "tuple", elems: [] };
  return { ...base, kind: "const", value: e };
}
