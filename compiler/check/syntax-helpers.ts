// Small read-only views of syntax: names a pattern binds, a type written in expression position,
// the source-like text of a place expression for messages.

import type { Expr, Pattern } from "../syntax/ast.js";

/** Names bound by a pattern (for par hoisting). */
export function patternNames(p: Pattern, out = new Set<string>()): Set<string> {
  switch (p.kind) {
    case "bind":
      out.add(p.name);
      if (p.sub) patternNames(p.sub, out);
      break;
    case "tuple":
    case "slice":
      p.elems.forEach((x) => patternNames(x, out));
      break;
    case "variant":
      p.args?.forEach((x) => patternNames(x, out));
      break;
    case "struct":
      p.fields.forEach((f) => patternNames(f.pattern, out));
      break;
    case "or":
      p.alts.forEach((x) => patternNames(x, out));
      break;
    case "rest":
      if (p.binding) out.add(p.binding);
      break;
  }
  return out;
}

/** A type written in expression position (`f[i64]`, `f[Vec[String]]`). */
export function exprAsType(e: Expr): import("../syntax/ast.js").TypeExpr | undefined {
  if (e.kind === "ident") return { kind: "named", id: e.id, span: e.span, path: [e.name], args: [] };
  if (e.kind === "index" && e.object.kind === "ident") {
    const args = e.indices.map(exprAsType);
    if (args.some((a) => !a)) return undefined;
    return { kind: "named", id: e.id, span: e.span, path: [e.object.name], args: args as import("../syntax/ast.js").TypeExpr[] };
  }
  if (e.kind === "tuple") {
    const elems = e.elems.map(exprAsType);
    if (elems.some((a) => !a)) return undefined;
    return { kind: "tuple", id: e.id, span: e.span, elems: elems as import("../syntax/ast.js").TypeExpr[] };
  }
  if (e.kind === "unit") return { kind: "tuple", id: e.id, span: e.span, elems: [] };
  return undefined;
}

export function exprText(e: Expr): string {
  switch (e.kind) {
    case "ident":
      return e.name;
    case "field":
      return `${exprText(e.object)}.${e.name.name}`;
    default:
      return "x";
  }
}
