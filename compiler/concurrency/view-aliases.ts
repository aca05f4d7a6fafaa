// Locals that hold a writable view of another local's elements: `let s = v.as_slice_mut();`,
// `let (a, b) = v.split_at_mut(m);`, `let t = s;`. Writing `s[i]` (or handing `s` to a callee)
// changes `v`, and reading `s` reads `v`, so the statement facts count such uses as uses of `v`
// too; otherwise automatic parallelisation could run a write through the view beside a read of
// the collection. Computed once per function from its `let` statements.

import type { LocalId, TExpr, TFunction, TPattern, TStmt } from "../tir/nodes.js";
import { placeRoot, viewedPlace, walkStmt } from "../tir/walk.js";

const cache = new WeakMap<TFunction, Map<LocalId, LocalId>>();

/** View local -> the local whose elements it views (followed through views of views). */
export function viewAliases(fn: TFunction): Map<LocalId, LocalId> {
  let aliases = cache.get(fn);
  if (aliases) return aliases;
  aliases = new Map();
  const found = aliases;
  const bind = (p: TPattern, init: TExpr | undefined): void => {
    if (!init) return;
    if (p.kind === "bind") {
      if (init.type.kind !== "slice" || !init.type.mut) return;
      const viewed = viewedPlace(init);
      const r = viewed ? placeRoot(viewed) : undefined;
      const root = r?.kind === "local" ? r.local : undefined;
      if (root === undefined || root === p.local) return;
      found.set(p.local, found.get(root) ?? root);
      return;
    }
    if (p.kind === "tuple") {
      const parts = tupleParts(init);
      if (parts) p.elems.forEach((x, i) => bind(x, parts[i]));
    }
  };
  const visit = (s: TStmt): void => {
    if (s.kind === "let") bind(s.pattern, s.init);
  };
  for (const s of fn.body.stmts) walkStmt(s, { stmt: visit });
  cache.set(fn, aliases);
  return aliases;
}

/** The element expressions of a tuple built in place (possibly as the tail of a block). */
function tupleParts(e: TExpr): TExpr[] | undefined {
  if (e.kind === "tuple") return e.elems;
  if (e.kind === "block" && e.tail) return tupleParts(e.tail);
  return undefined;
}
