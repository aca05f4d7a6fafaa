// Pattern bindings of values with a user `Drop` (karac core semantics §4.6): such a value is never
// duplicated behind the program's back, so its `drop` runs exactly once. Elsewhere a pattern
// binding is a copy of the part it names (value semantics make that invisible); for a part whose
// type runs a user `Drop` somewhere inside it (not behind a `shared` handle, which is counted):
//  - under an owned scrutinee — a whole local the function owns, or a temporary — the binding
//    MOVES the part out (`take`): codegen leaves the slot empty, so the binding drops it at the
//    end of its arm and the scrutinee's own drop skips it; moves.ts then counts the scrutinee as
//    moved on that arm (a later use is E0500);
//  - under any other place (a field, an element, a `ref` parameter) and for the variable of
//    `for x in v`, the binding BORROWS the part (a read-only alias like a `ref` parameter): it
//    is not dropped, the collection or owner drops it once, at its own scope end.
// Runs after finalize (types are concrete, user `Drop` impls are on the definitions).

import type { LocalId, TEnumDef, TExpr, TFunction, TPattern, TPlace, TStmt, TStructDef, Type } from "../tir/nodes.js";
import { eachNode, someNode } from "./flow-walk.js";

export interface DropDefs {
  structs: ReadonlyMap<string, TStructDef>;
  enums: ReadonlyMap<string, TEnumDef>;
}

/** Does destroying a value of type t run a user `Drop` body (directly, not through a shared handle)? */
export function runsUserDrop(t: Type, defs: DropDefs, seen: Set<string> = new Set()): boolean {
  switch (t.kind) {
    case "tuple":
      return t.elems.some((e) => runsUserDrop(e, defs, seen));
    case "vec":
    case "array":
    case "set":
      return runsUserDrop(t.elem, defs, seen);
    case "map":
      return runsUserDrop(t.key, defs, seen) || runsUserDrop(t.value, defs, seen);
    case "struct": {
      const d = defs.structs.get(t.name);
      if (!d || d.flavor !== "plain" || seen.has(t.name)) return false;
      if (d.userDrop !== undefined) return true;
      seen.add(t.name);
      return d.fields.some((f) => runsUserDrop(f.type, defs, seen));
    }
    case "enum": {
      const d = defs.enums.get(t.name);
      if (!d || d.flavor !== "plain" || seen.has(t.name)) return false;
      if (d.userDrop !== undefined) return true;
      seen.add(t.name);
      return d.variants.some((v) => v.fields.some((f) => runsUserDrop(f.type, defs, seen)));
    }
    default:
      return false;
  }
}

/** Builtins that consume their receiver (karac: `self` by value). */
const CONSUMING = new Set(["option.unwrap", "option.expect", "option.unwrap_or", "result.unwrap", "result.expect", "result.unwrap_err", "result.unwrap_or"]);

export function settleDropBindings(fn: TFunction, defs: DropDefs): void {
  const aliases = new Set<LocalId>();
  const drops = (id: LocalId): boolean => runsUserDrop(fn.locals[id].type, defs);
  const owningScrutinee = (e: TExpr): boolean => {
    if (e.kind !== "read") return true; // a moved local or a temporary: the match owns it
    if (e.place.kind !== "local") return false;
    const l = fn.locals[e.place.local];
    return l.mode === "owned" && (l.kind === "let" || l.kind === "param" || l.kind === "temp");
  };
  /** Nested bindings (inside a tuple/struct/variant) of Drop-running parts: take or alias. */
  const mark = (p: TPattern, nested: boolean, take: boolean): void => {
    switch (p.kind) {
      case "bind": {
        const l = fn.locals[p.local];
        if (nested && l.mode === "owned" && drops(p.local)) {
          if (take) (p as { take?: boolean }).take = true;
          else {
            l.mode = "ref";
            l.owned = false;
            aliases.add(p.local);
          }
        }
        if (p.sub) mark(p.sub, nested, take);
        return;
      }
      case "tuple":
        for (const e of p.elems) mark(e, true, take);
        return;
      case "struct":
        for (const f of p.fields) mark(f.pattern, true, take);
        return;
      case "variant":
        for (const a of p.args) mark(a, true, take);
        return;
      case "or":
        for (const a of p.alts) mark(a, nested, take);
        return;
      default:
        return;
    }
  };
  eachNode(fn.body, (o) => {
    if (o.kind === "match") {
      const take = owningScrutinee(o.scrutinee as TExpr);
      for (const arm of o.arms as { pattern: TPattern }[]) mark(arm.pattern, false, take);
    } else if (o.kind === "builtin" && CONSUMING.has(o.op as string)) {
      // `o.unwrap()` takes `o` by value: an owned local holding a Drop-running payload moves.
      const r = o.receiver as { kind: string; value?: TExpr } | undefined;
      const v = r?.kind === "value" ? r.value : undefined;
      if (v?.kind === "read" && v.place.kind === "local" && owningScrutinee(v) && runsUserDrop(v.type, defs)) {
        r!.value = { kind: "move", local: v.place.local, type: v.type, span: v.span } as TExpr;
      }
    } else if (o.kind === "let" && "pattern" in o && o.init !== undefined) {
      // A destructuring `let` consumes its value (a move or a temporary).
      mark(o.pattern as TPattern, false, true);
    } else if (o.kind === "for") {
      const iter = o.iter as { kind: string; variable: TPattern };
      // `for x in v` reads the elements in place: x borrows each one.
      if (iter.kind === "seq") mark(iter.variable, true, false);
    } else if (o.kind === "block" && Array.isArray(o.stmts)) {
      moveBeforeOverwrite(o.stmts as TStmt[], (id) => owningScrutinee({ kind: "read", place: { kind: "local", local: id } } as TExpr), defs);
    } else if (o.kind === "copy" && runsUserDrop(o.type as Type, defs)) {
      // A Drop-running field of an owned local read into an owning site (`let g = s.guard`,
      // `f(s.guard)`) is moved out of it (karac §3.6 partial move), not copied.
      const v = o.value as TExpr;
      if (v.kind === "read" && movablePart(fn, v.place, defs)) o.take = true;
    }
  });
  if (aliases.size === 0) return;
  // A borrowing binding is never dropped.
  eachNode(fn.body, (o) => {
    if (o.kind === "block" && Array.isArray(o.drops)) o.drops = (o.drops as LocalId[]).filter((id) => !aliases.has(id));
  });
}

/**
 * Can a part be moved out of this place (karac core semantics §3.6)? Only a field / tuple element
 * path from an owned local (not through an index, a `ref`, or a `shared` handle), and only when no
 * value on the way has a `Drop` body of its own (its body must see every field).
 */
export function movablePart(fn: TFunction, place: TPlace, defs: DropDefs): boolean {
  if (place.kind !== "field" && place.kind !== "tupleField") return false;
  let p: TPlace = place;
  while (p.kind === "field" || p.kind === "tupleField") {
    p = p.base;
    const t = p.type;
    if (t.kind === "struct") {
      const d = defs.structs.get(t.name);
      if (!d || d.flavor !== "plain" || d.userDrop !== undefined) return false;
    } else if (t.kind !== "tuple") return false;
  }
  if (p.kind !== "local") return false;
  const l = fn.locals[p.local];
  return l.mode === "owned" && (l.kind === "let" || l.kind === "param" || l.kind === "temp");
}

/**
 * `let t = p; p = v;` where the first statement copies a place holding a Drop-running value and
 * the next one overwrites that place (`o.take()`, `o.replace(v)` expand to this): the copy is a
 * move out of the place, so the old value is dropped once, by its new owner, and not also by the
 * overwrite. A whole owned local becomes a `move`; any other place a `take` copy, which leaves the
 * slot empty for the overwrite.
 */
function moveBeforeOverwrite(stmts: TStmt[], owned: (local: LocalId) => boolean, defs: DropDefs): void {
  for (let i = 0; i + 1 < stmts.length; i++) {
    const s = stmts[i];
    const next = stmts[i + 1];
    if (s.kind !== "let" || !s.init || s.init.kind !== "copy" || next.kind !== "assign") continue;
    const v = s.init.value;
    if (v.kind !== "read" || !samePlace(v.place, next.place) || !runsUserDrop(v.type, defs)) continue;
    const root = placeRootLocal(v.place);
    if (root !== undefined && someNode(next.value, (o) => o.kind === "local" && o.local === root)) continue;
    if (v.place.kind === "local" && owned(v.place.local)) s.init = { kind: "move", local: v.place.local, type: v.type, span: v.span } as TExpr;
    else (s.init as { take?: boolean }).take = true;
  }
}

/** Do two places name the same storage (same local, same fields; an index only by the same local or literal)? */
function samePlace(a: TPlace, b: TPlace): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "local":
      return a.local === (b as typeof a).local;
    case "field":
    case "tupleField":
      return a.index === (b as typeof a).index && samePlace(a.base, (b as typeof a).base);
    case "index": {
      const bi = b as typeof a;
      const key = (e: TExpr): string | undefined =>
        e.kind === "int" ? `#${e.value}` : e.kind === "read" && e.place.kind === "local" ? `l${e.place.local}` : undefined;
      const k = key(a.index);
      return k !== undefined && k === key(bi.index) && samePlace(a.base, bi.base);
    }
    default:
      return false;
  }
}

function placeRootLocal(p: TPlace): LocalId | undefined {
  while (p.kind === "field" || p.kind === "tupleField" || p.kind === "index") p = p.base;
  return p.kind === "local" ? p.local : undefined;
}
