// Bindings inside `|` patterns (`Shape.Circle(r) | Shape.Ring(r) => ..`). Every alternative must
// bind the same names with the same types; the names share one local, so whichever alternative
// matches fills it and the arm body reads it the same way.

import type { Pattern, Span } from "../syntax/ast.js";
import type { CheckContext, OrAltState } from "./context.js";
import { patternNames } from "./syntax-helpers.js";
import { Codes } from "./codes.js";
import type { LocalId, TPattern } from "../tir/nodes.js";
import { resolve, show, unify, type Ty } from "./types.js";


export function checkOrAlternatives(c: CheckContext, p: Pattern & { kind: "or" }, ty: Ty, irrefutable: boolean): TPattern[] {
  // In a `let`, the alternatives together must cover the value (`let Ok(x) | Err(x) = r;`), not each one.
  const alts = checkAlternatives(c, p, ty);
  if (irrefutable && !coversAll(c, p.alts, ty)) c.err(Codes.RefutablePattern, "refutable pattern in a `let`: use `match` or `if let`", p.span);
  return alts;
}

/** A pattern that matches every value of its type without looking at it (wildcards, bindings, tuples/structs of those). */
function matchesAll(p: Pattern): boolean {
  switch (p.kind) {
    case "wild":
      return true;
    case "bind":
      return !p.sub || matchesAll(p.sub);
    case "tuple":
      return p.elems.every(matchesAll);
    case "struct":
      return p.fields.every((f) => matchesAll(f.pattern));
    case "or":
      return p.alts.some(matchesAll);
    default:
      return false;
  }
}

/** Conservative: some alternative matches everything, or every variant of an enum has an alternative matching all its payloads. */
function coversAll(c: CheckContext, alts: Pattern[], ty: Ty): boolean {
  if (alts.some(matchesAll)) return true;
  const r = resolve(ty);
  if (r.kind !== "enum") return false;
  const en = c.table.enums.get(r.name);
  if (!en) return false;
  const covered = new Set<number>();
  for (const a of alts) {
    if (a.kind !== "variant" && a.kind !== "struct") continue;
    const name = a.path[a.path.length - 1];
    const i = en.variants.findIndex((v) => v.name === name);
    const args = a.kind === "variant" ? (a.args ?? []) : a.fields.map((f) => f.pattern);
    if (i >= 0 && args.every(matchesAll)) covered.add(i);
  }
  return covered.size === en.variants.length;
}

function checkAlternatives(c: CheckContext, p: Pattern & { kind: "or" }, ty: Ty): TPattern[] {
  const irrefutable = false;
  const outer = c.orAlt;
  const alts: TPattern[] = [];
  const shared = new Map<string, { id: LocalId; ty: Ty }>();
  p.alts.forEach((alt, k) => {
    if (k === 0) {
      alts.push(c.checkPattern(alt, ty, irrefutable));
      for (const name of patternNames(alt)) {
        const id = c.b.findOwn(name);
        if (id !== undefined) shared.set(name, { id, ty: c.b.localTy(id) });
      }
      return;
    }
    const st: OrAltState = { shared, seen: new Set(), parent: outer };
    c.orAlt = st;
    try {
      alts.push(c.checkPattern(alt, ty, irrefutable));
    } finally {
      c.orAlt = outer;
    }
    const absent = [...shared.keys()].filter((n) => !st.seen.has(n));
    if (absent.length) {
      const names = absent.map((n) => `\`${n}\``).join(", ");
      c.err(Codes.OrPatternBindings, `variable${absent.length > 1 ? "s" : ""} ${names} ${absent.length > 1 ? "are" : "is"} not bound in all alternatives of this \`|\` pattern`, alt.span);
    }
  });
  return alts;
}

/**
 * A binding inside a later alternative: the first alternative's local when it bound the same name
 * (types must agree), otherwise a diagnostic and undefined (the caller declares a fresh local).
 */
export function bindOrAlternative(c: CheckContext, st: OrAltState, name: string, ty: Ty, span: Span): LocalId | undefined {
  const first = st.shared.get(name);
  if (!first) {
    c.err(Codes.OrPatternBindings, `variable \`${name}\` is not bound in all alternatives of this \`|\` pattern`, span);
    return undefined;
  }
  for (let s: OrAltState | undefined = st; s; s = s.parent) if (s.shared.has(name)) s.seen.add(name);
  if (!unify(first.ty, ty)) {
    c.err(Codes.Mismatch, `mismatched types: \`${name}\` is ${show(first.ty)} in the first alternative but ${show(ty)} here`, span);
  }
  return first.id;
}
