// Whether a type satisfies a builtin bound (Eq, PartialEq, Ord, PartialOrd, Hash): what generic calls
// (`largest[T: Ord]`), `contains`, `dedup` and friends require of their element types. A derive of a
// stronger trait implies the weaker ones (F10.6: derive dependencies are added automatically).

import type { Span } from "../syntax/ast.js";
import { Codes } from "./codes.js";
import { methodOwnerKey, type ItemTable } from "./items.js";
import { implementsUserTrait } from "./trait-impls.js";
import { resolve, show, type Ty } from "./types.js";

const EQ_DERIVES = ["PartialEq", "Eq", "PartialOrd", "Ord", "Hash"];

/** The builtin traits each bound brings with it (`T: Ord` may be compared with `==` too). */
const IMPLIED: Record<string, string[]> = {
  Ord: ["PartialOrd", "Eq", "PartialEq"],
  PartialOrd: ["PartialEq"],
  Eq: ["PartialEq"],
  Copy: ["Clone"],
};

/** Whether a type parameter's bounds (checked at its definition) give it trait `bound`. */
export function paramHas(t: Ty & { kind: "param" }, bound: string): boolean {
  return t.bounds.some((b) => b === bound || IMPLIED[b]?.includes(bound));
}
const PARTIAL_ORD_DERIVES = ["PartialOrd", "Ord"];

/** Types whose values can be compared with `==`; `total` excludes floats (Eq, Hash). */
export function isEquatable(table: ItemTable, t: Ty, total: boolean): boolean {
  const r = resolve(t);
  switch (r.kind) {
    case "int":
    case "char":
    case "bool":
    case "string":
    case "unit":
    case "error":
    case "never":
      return true;
    case "float":
      return !total;
    case "param":
      return paramHas(r, total ? "Eq" : "PartialEq");
    case "var":
      return r.lit !== "float" || !total;
    case "tuple":
      return r.elems.every((x) => isEquatable(table, x, total));
    case "vec":
    case "array":
    case "slice":
    case "set":
      return isEquatable(table, r.elem, total);
    case "map":
      return isEquatable(table, r.key, total) && isEquatable(table, r.value, total);
    case "enum": {
      const info = table.enums.get(r.name);
      if (!info) return false;
      if (info.prelude) return r.args.every((a) => isEquatable(table, a, total));
      return userEq(table, r.name, info.derives) && r.args.every((a) => isEquatable(table, a, total));
    }
    case "struct": {
      const info = table.structs.get(r.name);
      if (!info) return false;
      if (info.flavor !== "plain") return true; // shared/par values compare by identity
      return userEq(table, r.name, info.derives) && r.args.every((a) => isEquatable(table, a, total));
    }
    default:
      return false;
  }
}

/** Types with a total order: what `sort`, `cmp`, `binary_search` and `sort_by_key` keys need. */
export function isOrdered(table: ItemTable, t: Ty): boolean {
  const r = resolve(t);
  switch (r.kind) {
    case "int":
    case "char":
    case "bool":
    case "string":
    case "unit":
    case "error":
      return true;
    case "var":
      return r.lit === "int";
    case "param":
      return paramHas(r, "Ord");
    case "tuple":
      return r.elems.every((x) => isOrdered(table, x));
    case "vec":
    case "array":
    case "slice":
      return isOrdered(table, r.elem);
    case "enum": {
      const info = table.enums.get(r.name);
      if (!info) return false;
      if (info.prelude === "ordering") return true;
      if (info.prelude === "option") return isOrdered(table, r.args[0]);
      return info.derives.includes("Ord") || table.cmpImpls.has(r.name);
    }
    case "struct": {
      const info = table.structs.get(r.name);
      return !!info && (info.derives.includes("Ord") || table.cmpImpls.has(r.name));
    }
    default:
      return false;
  }
}

function userEq(table: ItemTable, name: string, derives: string[]): boolean {
  return derives.some((d) => EQ_DERIVES.includes(d)) || table.eqImpls.has(name) || table.cmpImpls.has(name);
}

/** Types with a (possibly partial) order: floats and derive(PartialOrd) types too. */
export function isPartiallyOrdered(table: ItemTable, t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "float" || (r.kind === "var" && r.lit === "float")) return true;
  if (r.kind === "param") return paramHas(r, "PartialOrd");
  if (r.kind === "tuple") return r.elems.every((x) => isPartiallyOrdered(table, x));
  if (r.kind === "vec" || r.kind === "array" || r.kind === "slice") return isPartiallyOrdered(table, r.elem);
  if (r.kind === "struct" || r.kind === "enum") {
    const info = r.kind === "struct" ? table.structs.get(r.name) : table.enums.get(r.name);
    if (info && !("prelude" in info && info.prelude) && info.derives.some((d) => PARTIAL_ORD_DERIVES.includes(d))) return true;
  }
  return isOrdered(table, t);
}

/**
 * Whether t satisfies the bound named `bound` (Display is judged by the caller, except for a type
 * parameter, which has exactly its bounds). User traits need an
 * `impl Trait for T`; names that are neither builtin bounds nor user traits are not judged (true).
 */
export function satisfiesBound(table: ItemTable, bound: string, t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "error") return true;
  if (r.kind === "param") return paramHas(r, bound);
  const user = implementsUserTrait(table, bound, methodOwnerKey(r));
  if (user !== undefined) return user;
  if (r.kind === "fn") return false;
  switch (bound) {
    case "Ord":
      return isOrdered(table, t);
    case "PartialOrd":
      return isPartiallyOrdered(table, t);
    case "Eq":
    case "Hash":
      return isEquatable(table, t, true);
    case "PartialEq":
      return isEquatable(table, t, false);
    default:
      return true;
  }
}

/** Report (once the body's types are solved) an element type that `what` cannot compare with `==`. */
export function requireEquatable(c: { table: ItemTable; deferred: (() => void)[]; err(code: string, message: string, span: Span): void }, t: Ty, what: string, span: Span): void {
  c.deferred.push(() => {
    const r = resolve(t);
    if (isEquatable(c.table, r, false)) return;
    c.err(Codes.BadOperand, `${what} needs elements comparable with ==: ${show(r)} is not PartialEq; add #[derive(PartialEq)] or impl PartialEq`, span);
  });
}
